using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Federation.Testing.Security;

namespace Subgraph.Tests;

/// <summary><c>Query.platform</c> as every kit subgraph serves it: its own health field, for admins only.</summary>
public sealed class PlatformHealthTests
{
    private const string Query = """{"query":"{ platform { kit { service instance startedAt checkedAt status checks { name status durationMs } messaging { totalLag } } } }"}""";

    [Fact]
    public async Task Platform_Should_ReportTheSubgraphsOwnHealthChecks_When_AnAdminAsks()
    {
        // arrange
        await using var subgraph = await KitSubgraph.StartAsync();

        // act
        var answer = await PostAsync(subgraph.Http, TestInternalTokens.Mint(KitSubgraph.Name, "51", "shopper", "admin"));

        // assert
        Assert.Null(answer["errors"]);
        var health = answer["data"]!["platform"]!["kit"]!;
        Assert.Equal(("kit", "HEALTHY"), (health["service"]!.GetValue<string>(), health["status"]!.GetValue<string>()));
        Assert.Equal($"{Environment.MachineName}/{Environment.ProcessId}", health["instance"]!.GetValue<string>());
        Assert.True(DateTimeOffset.Parse(health["startedAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) <= DateTimeOffset.Parse(health["checkedAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        var check = Assert.Single(health["checks"]!.AsArray());
        Assert.Equal(("process", "HEALTHY"), (check!["name"]!.GetValue<string>(), check["status"]!.GetValue<string>()));
        Assert.Null(health["messaging"]);
    }

    [Theory]
    [InlineData("7", "FORBIDDEN")]
    [InlineData(null, "UNAUTHENTICATED")]
    public async Task Platform_Should_BeRefused_When_TheCallerIsNoAdmin(string? user, string code)
    {
        // arrange
        await using var subgraph = await KitSubgraph.StartAsync();
        var token = user is null ? TestInternalTokens.Mint(KitSubgraph.Name) : TestInternalTokens.Mint(KitSubgraph.Name, user, "shopper");

        // act
        var answer = await PostAsync(subgraph.Http, token);

        // assert
        Assert.Null(answer["data"]);
        var error = Assert.Single(answer["errors"]!.AsArray());
        Assert.Equal(code, error!["extensions"]!["code"]!.GetValue<string>());
        Assert.Equal(["platform"], error["path"]!.AsArray().Select(p => p!.GetValue<string>()));
    }

    [Fact]
    public async Task Schema_Should_AddOnePlatformFieldNamedAfterTheSubgraph_When_Printed()
    {
        // arrange
        await using var subgraph = await KitSubgraph.StartAsync();

        // act
        var sdl = await subgraph.PrintSchemaAsync();

        // assert
        Assert.Contains("platform: Platform! @requiresScopes(scopes: [[\"admin\"]]) @shareable", sdl, StringComparison.Ordinal);
        Assert.Contains("type Platform {\n  \"The kit subgraph's health.\"\n  kit: ServiceHealth\n}", sdl, StringComparison.Ordinal);
        Assert.Contains("type ServiceHealth @shareable {", sdl, StringComparison.Ordinal);
    }

    private static async Task<JsonNode> PostAsync(HttpClient http, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent(Query, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }
}
