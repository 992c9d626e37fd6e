using System.Text.Json;
using System.Text.Json.Nodes;
using Federation.Gateway.Execution;

namespace Federation.Gateway.Transport;

/// <summary>
/// A subgraph's GraphQL response as the executor merges it: <c>data</c> as result nodes read straight from the bytes,
/// <c>errors</c> as JSON (rare, and re-pathed and copied into the client's errors).
/// </summary>
public sealed class SubgraphResponse
{
    /// <summary>The <c>data</c> object; null when the answer has none, or null, or something other than an object.</summary>
    public ResultObject? Data { get; set; }

    /// <summary>
    /// Whether the answer has a <c>data</c> entry, null included: a subgraph that failed during execution answers
    /// <c>"data": null</c>, one that refused the request before executing has no <c>data</c> (GraphQL spec, "Response").
    /// </summary>
    public bool HasData { get; set; }

    /// <summary>The <c>errors</c> list; null when absent, null or not a list.</summary>
    public JsonArray? Errors { get; set; }

    /// <summary>
    /// Reads a GraphQL response; null when the bytes are no JSON object with <c>data</c> or <c>errors</c> (which is how
    /// GraphQL-over-HTTP tells a response from a transport failure's body).
    /// </summary>
    public static SubgraphResponse? Parse(byte[] body, int length)
    {
        try
        {
            var reader = new Utf8JsonReader(body.AsSpan(0, length), isFinalBlock: true, state: default);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            var response = new SubgraphResponse();
            var graphQL = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("data"u8))
                {
                    graphQL = true;
                    response.HasData = true;
                    reader.Read();
                    response.Data = ResultReader.ReadValue(ref reader, body) as ResultObject;
                }
                else if (reader.ValueTextEquals("errors"u8))
                {
                    graphQL = true;
                    reader.Read();
                    var start = checked((int)reader.TokenStartIndex);
                    reader.Skip();
                    var end = checked((int)reader.BytesConsumed);
                    response.Errors = JsonNode.Parse(body.AsSpan(start, end - start), ResultState.NodeOptions) as JsonArray;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            return graphQL && !reader.Read() ? response : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A response given as JSON (test doubles, subscription events): read through its bytes like any answer.</summary>
    public static SubgraphResponse From(JsonObject json)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(json);
        return Parse(bytes, bytes.Length) ?? new SubgraphResponse();
    }

    /// <summary>The response as JSON, for callers of the JSON-speaking client methods.</summary>
    public JsonObject ToJsonObject()
    {
        var json = new JsonObject(ResultState.NodeOptions);
        if (Data is not null || HasData || Errors is null)
        {
            json["data"] = Data?.ToJsonNode();
        }

        if (Errors is not null)
        {
            json["errors"] = Errors.DeepClone();
        }

        return json;
    }

    /// <summary>A copy the caller may merge from (shared in-flight answers): containers copied, leaves and bytes shared.</summary>
    public SubgraphResponse Clone() => new()
    {
        HasData = HasData,
        Data = (ResultObject?)Data?.DeepClone(),
        Errors = (JsonArray?)Errors?.DeepClone(),
    };
}
