using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Federation.Gateway.Tests.Fixtures;

namespace Federation.Gateway.Tests.Caching;

/// <summary>Automatic persisted queries: hash first, query on PERSISTED_QUERY_NOT_FOUND, hash alone afterwards.</summary>
[Collection(FixtureData.Collection)]
public sealed class PersistedQueryTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private const string Query = "{ me { name } }";

    [Fact]
    public async Task Execute_Should_AnswerPersistedQueryNotFound_When_HashIsUnknown()
    {
        // arrange
        using var engine = new GatewayEngine(fixture.SupergraphSdl, fixture.Options());

        // act
        var result = await engine.ExecuteAsync(new GatewayRequest(null, null, null, Extensions: Persisted(Hash(Query))));

        // assert
        Assert.Equal(200, result.StatusCode);
        Assert.Equal(
            """{"errors":[{"message":"PersistedQueryNotFound","extensions":{"code":"PERSISTED_QUERY_NOT_FOUND"}}]}""",
            result.Body.ToJsonString());
    }

    [Fact]
    public async Task Execute_Should_RunStoredQuery_When_HashWasRegisteredWithItsQuery()
    {
        // arrange
        using var engine = new GatewayEngine(fixture.SupergraphSdl, fixture.Options());
        var registered = await engine.ExecuteAsync(new GatewayRequest(Query, null, null, Extensions: Persisted(Hash(Query))));

        // act
        var result = await engine.ExecuteAsync(new GatewayRequest(null, null, null, Extensions: Persisted(Hash(Query).ToLowerInvariant())));

        // assert
        Assert.Equal("""{"data":{"me":{"name":"Ada Lovelace"}}}""", registered.Body.ToJsonString());
        Assert.Equal("""{"data":{"me":{"name":"Ada Lovelace"}}}""", result.Body.ToJsonString());
    }

    [Fact]
    public async Task Execute_Should_RejectWithoutStoring_When_HashDoesNotMatchQuery()
    {
        // arrange
        using var engine = new GatewayEngine(fixture.SupergraphSdl, fixture.Options());
        var wrong = Hash("{ users { name } }");

        // act
        var result = await engine.ExecuteAsync(new GatewayRequest(Query, null, null, Extensions: Persisted(wrong)));
        var lookup = await engine.ExecuteAsync(new GatewayRequest(null, null, null, Extensions: Persisted(wrong)));

        // assert
        Assert.Equal(400, result.StatusCode);
        Assert.Equal("INVALID_SHA256_HASH", result.Body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
        Assert.Equal("PERSISTED_QUERY_NOT_FOUND", lookup.Body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Execute_Should_RejectUnsupportedVersion_When_VersionIsNotOne()
    {
        // arrange
        using var engine = new GatewayEngine(fixture.SupergraphSdl, fixture.Options());
        var extensions = Persisted(Hash(Query));
        extensions["persistedQuery"]!["version"] = 2;

        // act
        var result = await engine.ExecuteAsync(new GatewayRequest(null, null, null, Extensions: extensions));

        // assert
        Assert.Equal(400, result.StatusCode);
        Assert.Equal("PERSISTED_QUERY_NOT_SUPPORTED", result.Body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
    }

    private static string Hash(string query) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(query)));

    private static JsonObject Persisted(string hash) => new()
    {
        ["persistedQuery"] = new JsonObject { ["version"] = 1, ["sha256Hash"] = hash },
    };
}
