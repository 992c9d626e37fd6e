using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Federation.Testing.Http;

/// <summary>Requests that must be refused by the GraphQL-over-HTTP layer, for the gateway and the subgraph tests alike.</summary>
public static class GraphQLHttpProbes
{
    /// <summary>The body from issue 12 (<c>{"query":"{ __typename \xff\xfe\xc3( }"}</c>): JSON whose bytes are not UTF-8.</summary>
    public static HttpContent InvalidUtf8Body()
    {
        byte[] body = [.. """{"query":"{ __typename """u8, 0xFF, 0xFE, 0xC3, .. """( }"}"""u8];
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    /// <summary>A request body one byte per character, <paramref name="padding"/> characters of variable padding long.</summary>
    public static string PaddedBody(int padding) =>
        "{\"query\":\"{ __typename }\",\"variables\":{\"pad\":\"" + new string('x', padding) + "\"}}";

    /// <summary>The status and the first GraphQL error's message and code.</summary>
    public static async Task<(HttpStatusCode Status, string Message, string Code)> FirstErrorAsync(HttpResponseMessage response)
    {
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]![0]!;
        return (response.StatusCode, error["message"]!.GetValue<string>(), error["extensions"]!["code"]!.GetValue<string>());
    }
}
