using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Federation.Gateway.Tests.Fixtures;

public static class GatewayProcessRequests
{
    /// <summary>Posts a GraphQL request with <paramref name="token"/> as bearer token (none: anonymous).</summary>
    public static async Task<(int Status, JsonObject Body)> PostAsync(this GatewayProcess gateway, string query, object? variables, string? token)
    {
        using var request = Create(string.Empty, query, variables, token);
        using var response = await gateway.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonNode.Parse(text) as JsonObject ?? throw new InvalidOperationException($"Not a JSON object ({(int)response.StatusCode}): {text}"));
    }

    /// <summary>A GraphQL POST to <paramref name="path"/>; <paramref name="variables"/> is serialized as JSON.</summary>
    public static HttpRequestMessage Create(string path, string query, object? variables, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(
                new JsonObject { ["query"] = query, ["variables"] = variables is null ? null : JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(variables)) }.ToJsonString(),
                Encoding.UTF8,
                "application/json"),
        };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }
}
