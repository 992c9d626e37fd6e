using System.Text.Json.Nodes;

namespace Federation.Gateway.Tests.Fixtures;

public static class GraphQLHttp
{
    /// <summary>POSTs a GraphQL request to the client's base address and returns the response body, whatever the status.</summary>
    public static async Task<JsonObject> PostGraphQLAsync(this HttpClient http, string query, JsonObject? variables)
    {
        using var content = new StringContent(new JsonObject { ["query"] = query, ["variables"] = variables?.DeepClone() }.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(string.Empty, content);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }
}
