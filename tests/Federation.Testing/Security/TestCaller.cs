using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Federation.Testing.Subgraphs;
using Xunit;

namespace Federation.Testing.Security;

/// <summary>Who a test request speaks for, as the gateway would forward it in the internal token.</summary>
public sealed record TestCaller(string? UserId, IReadOnlyList<string> Scopes)
{
    public static readonly TestCaller Anonymous = new(null, []);

    /// <summary>An admin who owns no seeded data (user id 999999), so what it reads it reads by scope, not by ownership.</summary>
    public static readonly TestCaller Admin = new("999999", ["shopper", "admin"]);

    public static TestCaller Shopper(int userId) => new(userId.ToString(CultureInfo.InvariantCulture), ["shopper"]);

    public override string ToString() => UserId is null ? "anonymous" : $"user {UserId} ({string.Join(' ', Scopes)})";
}

public static class TestCallerRequests
{
    /// <summary>POSTs a GraphQL request to the subgraph as <paramref name="caller"/> and returns the response body, whatever the status.</summary>
    public static Task<JsonObject> QueryAsync(this SubgraphProcess subgraph, TestCaller caller, string query, object? variables = null) =>
        subgraph.QueryAsync(query, variables, authorization: new AuthenticationHeaderValue("Bearer", TestInternalTokens.Mint(subgraph.Name, caller.UserId, [.. caller.Scopes])));

    /// <summary>Runs a query as <paramref name="caller"/> and fails the test with the response when it carries errors.</summary>
    public static async Task<JsonObject> DataAsync(this SubgraphProcess subgraph, TestCaller caller, string query, object? variables = null)
    {
        var response = await subgraph.QueryAsync(caller, query, variables);
        Assert.True(response["errors"] is null, $"Unexpected errors for {caller}: {response.ToJsonString()}");
        return response["data"]!.AsObject();
    }

    /// <summary>The <c>extensions.code</c> of each error, in order, for asserting refusals.</summary>
    public static IReadOnlyList<string?> ErrorCodes(this JsonObject response) =>
        response["errors"]?.AsArray().Select(e => e?["extensions"]?["code"]?.GetValue<string>()).ToList() ?? [];
}
