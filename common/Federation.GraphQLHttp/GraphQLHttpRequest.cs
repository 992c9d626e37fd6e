using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Federation.GraphQLHttp;

/// <summary>
/// One GraphQL-over-HTTP request (https://graphql.github.io/graphql-over-http/draft/) as sent, before any GraphQL
/// processing: <see cref="Query"/> may be missing (a persisted query names its document in <see cref="Extensions"/>).
/// </summary>
/// <param name="IsGet">Sent with GET: only queries may run.</param>
/// <param name="ResponseMediaType">The negotiated media type, <see cref="GraphQLMediaTypes.GraphQLResponse"/> or <see cref="GraphQLMediaTypes.Json"/>.</param>
public sealed record GraphQLHttpRequest(
    string? Query,
    string? OperationName,
    JsonElement? Variables,
    JsonElement? Extensions,
    bool IsGet,
    string ResponseMediaType)
{
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    /// <summary>
    /// Reads the request from GET parameters or a POST body. Requests that cannot be GraphQL requests are answered here
    /// with a GraphQL error body (406, 405, 415, 413 or 400) and null is returned.
    /// </summary>
    /// <param name="mediaType">The media type refusals are written in when the caller negotiated another response (an event stream).</param>
    public static async Task<GraphQLHttpRequest?> ReadAsync(HttpContext http, GraphQLHttpOptions options, string? mediaType = null)
    {
        mediaType ??= GraphQLMediaTypes.Negotiate(http.Request);
        if (mediaType is null)
        {
            await GraphQLHttpResponse.WriteErrorAsync(http, StatusCodes.Status406NotAcceptable, GraphQLMediaTypes.Json,
                "The Accept header allows neither application/graphql-response+json nor application/json.", "NOT_ACCEPTABLE");
            return null;
        }

        Refusal? refusal;
        GraphQLHttpRequest? request;
        if (HttpMethods.IsGet(http.Request.Method))
        {
            (request, refusal) = FromParameters(http.Request.Query, mediaType);
        }
        else if (HttpMethods.IsPost(http.Request.Method))
        {
            (request, refusal) = await FromBodyAsync(http, options.MaxRequestBytes, mediaType);
        }
        else
        {
            http.Response.Headers.Allow = "GET, POST";
            (request, refusal) = (null, new Refusal(StatusCodes.Status405MethodNotAllowed, "Only GET and POST are supported."));
        }

        if (refusal is var (status, message))
        {
            await GraphQLHttpResponse.WriteErrorAsync(http, status, mediaType, message, "BAD_REQUEST");
        }

        return request;
    }

    private static (GraphQLHttpRequest?, Refusal?) FromParameters(IQueryCollection parameters, string mediaType)
    {
        if (!TryParameterObject(parameters, "variables", out var variables))
        {
            return (null, NotAnObject("variables"));
        }

        if (!TryParameterObject(parameters, "extensions", out var extensions))
        {
            return (null, NotAnObject("extensions"));
        }

        return (new GraphQLHttpRequest(NullIfEmpty(parameters["query"].ToString()), NullIfEmpty(parameters["operationName"].ToString()),
            variables, extensions, IsGet: true, mediaType), null);
    }

    private static bool TryParameterObject(IQueryCollection parameters, string name, out JsonElement? value)
    {
        value = null;
        if (parameters[name].ToString() is not { Length: > 0 } text)
        {
            return true;
        }

        try
        {
            return TryObject(JsonSerializer.Deserialize<JsonElement>(text), out value);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static async Task<(GraphQLHttpRequest?, Refusal?)> FromBodyAsync(HttpContext http, long limit, string mediaType)
    {
        if (!IsUtf8Json(http.Request.ContentType))
        {
            return (null, new Refusal(StatusCodes.Status415UnsupportedMediaType, "POST requests must have the content type application/json (UTF-8)."));
        }

        var tooLarge = new Refusal(StatusCodes.Status413PayloadTooLarge, $"The request body exceeds {limit} bytes.");
        if (http.Request.ContentLength > limit)
        {
            return (null, tooLarge);
        }

        byte[]? body;
        try
        {
            body = await ReadBodyAsync(http, limit);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            body = null;
        }

        if (body is null)
        {
            return (null, tooLarge);
        }

        var json = body.AsSpan().StartsWith(Utf8Bom) ? body.AsSpan(Utf8Bom.Length) : body;
        if (!Utf8.IsValid(json))
        {
            return (null, new Refusal(StatusCodes.Status400BadRequest, "The request body is not valid UTF-8."));
        }

        JsonElement root;
        try
        {
            var reader = new Utf8JsonReader(json);
            root = JsonElement.ParseValue(ref reader);
            if (reader.Read())
            {
                return (null, new Refusal(StatusCodes.Status400BadRequest, "The request body holds more than one JSON value."));
            }
        }
        catch (JsonException e)
        {
            return (null, new Refusal(StatusCodes.Status400BadRequest, "The request body is not valid JSON: " + e.Message));
        }

        return root.ValueKind == JsonValueKind.Object
            ? FromObject(root, mediaType)
            : (null, new Refusal(StatusCodes.Status400BadRequest, "The request body must be a JSON object."));
    }

    /// <summary>How long a body over the limit is still read (and thrown away) before the 413 is sent.</summary>
    private static readonly TimeSpan DiscardTime = TimeSpan.FromSeconds(2);

    /// <summary>Reads at most <paramref name="limit"/> bytes; null when the body is longer.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpContext http, long limit)
    {
        // Kestrel enforces its own cap (30 MB by default) before ours; set it to twice ours, so a chunked body gets
        // our 413 and the rest of a body a little over the limit can still be read and discarded (below).
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = limit > long.MaxValue / 2 ? long.MaxValue : limit * 2;
        }

        var reader = http.Request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(http.RequestAborted);
            var buffer = read.Buffer;
            if (buffer.Length > limit)
            {
                reader.AdvanceTo(buffer.End);
                if (!read.IsCompleted)
                {
                    await DiscardRestAsync(reader, http.RequestAborted);
                }

                return null;
            }

            if (read.IsCompleted)
            {
                var bytes = buffer.ToArray();
                reader.AdvanceTo(buffer.End);
                return bytes;
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>
    /// Reads what is left of an over-long body and drops it, for at most <see cref="DiscardTime"/> and up to Kestrel's
    /// cap (twice the limit), like nginx's lingering close: a server that closes with unread bytes in its receive
    /// buffer makes the kernel reset the connection, and a client still sending then sees a broken pipe instead of
    /// the 413. A body longer still is cut off by Kestrel's cap and still gets the 413, reset or not.
    /// </summary>
    private static async Task DiscardRestAsync(System.IO.Pipelines.PipeReader reader, CancellationToken aborted)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        deadline.CancelAfter(DiscardTime);
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync(deadline.Token);
                reader.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (BadHttpRequestException)
        {
        }
        catch (IOException)
        {
        }
    }

    private static (GraphQLHttpRequest?, Refusal?) FromObject(JsonElement root, string mediaType)
    {
        string? query = null, operationName = null;
        JsonElement? variables = null, extensions = null;
        foreach (var property in root.EnumerateObject())
        {
            var value = property.Value;
            var valid = property.Name switch
            {
                "query" => TryString(value, out query),
                "operationName" => TryString(value, out operationName),
                "variables" => TryObject(value, out variables),
                "extensions" => TryObject(value, out extensions),
                _ => true,
            };
            if (!valid)
            {
                return (null, property.Name is "query" or "operationName"
                    ? new Refusal(StatusCodes.Status400BadRequest, $"`{property.Name}` must be a string.")
                    : NotAnObject(property.Name));
            }
        }

        return (new GraphQLHttpRequest(query, operationName, variables, extensions, IsGet: false, mediaType), null);
    }

    private static bool TryString(JsonElement value, out string? text)
    {
        text = null;
        try
        {
            text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        }
        catch (InvalidOperationException)
        {
            // An escaped lone surrogate ("\ud800") is valid JSON but no string.
            return false;
        }

        return value.ValueKind is JsonValueKind.String or JsonValueKind.Null;
    }

    private static bool TryObject(JsonElement value, out JsonElement? json)
    {
        json = value.ValueKind == JsonValueKind.Object ? value : null;
        return value.ValueKind is JsonValueKind.Object or JsonValueKind.Null;
    }

    private static bool IsUtf8Json(string? contentType)
    {
        if (contentType is null)
        {
            return false;
        }

        var parts = contentType.Split(';');
        if (!parts[0].Trim().Equals(GraphQLMediaTypes.Json, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        foreach (var parameter in parts.AsSpan(1))
        {
            var pair = parameter.Split('=', 2);
            if (pair.Length == 2 && pair[0].Trim().Equals("charset", StringComparison.OrdinalIgnoreCase)
                && !pair[1].Trim().Trim('"').Equals("utf-8", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return true;
    }

    private static Refusal NotAnObject(string parameter) => new(StatusCodes.Status400BadRequest, $"`{parameter}` must be a JSON object.");

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    private sealed record Refusal(int Status, string Message);
}
