using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Federation.Gateway.Caching;
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

    [Fact]
    public async Task Execute_Should_RunOnlyTrustedDocuments_When_ModeIsAllowList()
    {
        // arrange
        const string other = "{ me { id } }";
        var options = fixture.Options();
        options.TrustedDocuments = new TrustedDocuments([new(Hash(Query).ToLowerInvariant(), Query)]);
        options.PersistedDocumentMode = PersistedDocumentMode.AllowList;
        using var engine = new GatewayEngine(fixture.SupergraphSdl, options);

        // act
        var byId = await engine.ExecuteAsync(new GatewayRequest(null, null, null, Extensions: Persisted(Hash(Query))));
        var listedText = await engine.ExecuteAsync(new GatewayRequest(Query, null, null));
        var listedTextWithHash = await engine.ExecuteAsync(new GatewayRequest(Query, null, null, Extensions: Persisted(Hash(Query))));
        var unlistedText = await engine.ExecuteAsync(new GatewayRequest(other, null, null));
        var unlistedRegistration = await engine.ExecuteAsync(new GatewayRequest(other, null, null, Extensions: Persisted(Hash(other))));
        var unlistedHash = await engine.ExecuteAsync(new GatewayRequest(null, null, null, Extensions: Persisted(Hash(other))));

        // assert
        Assert.Equal("""{"data":{"me":{"name":"Ada Lovelace"}}}""", byId.Body.ToJsonString());
        Assert.Equal("""{"data":{"me":{"name":"Ada Lovelace"}}}""", listedText.Body.ToJsonString());
        Assert.Equal("""{"data":{"me":{"name":"Ada Lovelace"}}}""", listedTextWithHash.Body.ToJsonString());
        Assert.Equal("NOT_IN_LIST 400", Code(unlistedText));
        Assert.Equal("NOT_IN_LIST 400", Code(unlistedRegistration));
        Assert.Equal("NOT_IN_LIST 400", Code(unlistedHash));
    }

    [Fact]
    public async Task Execute_Should_ResolveTrustedIdsAndStillRegister_When_ModeIsOpen()
    {
        // arrange
        const string other = "{ me { id } }";
        var id = Hash(Query).ToLowerInvariant();
        var options = fixture.Options();
        options.TrustedDocuments = new TrustedDocuments([new(id, Query)]);
        using var engine = new GatewayEngine(fixture.SupergraphSdl, options);

        // act
        var listed = await engine.ExecuteAsync(new GatewayRequest(null, null, null, Extensions: Persisted(id)));
        var registered = await engine.ExecuteAsync(new GatewayRequest(other, null, null, Extensions: Persisted(Hash(other))));
        var plain = await engine.ExecuteAsync(new GatewayRequest(other, null, null));

        // assert
        Assert.Equal("""{"data":{"me":{"name":"Ada Lovelace"}}}""", listed.Body.ToJsonString());
        Assert.Equal(200, registered.StatusCode);
        Assert.Null(registered.Body["errors"]);
        Assert.Equal(registered.Body.ToJsonString(), plain.Body.ToJsonString());
    }

    private static string Code(GatewayResult result) =>
        $"{result.Body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>().Replace("PERSISTED_QUERY_", string.Empty, StringComparison.Ordinal)} {result.StatusCode}";

    private static string Hash(string query) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(query)));

    private static JsonObject Persisted(string hash) => new()
    {
        ["persistedQuery"] = new JsonObject { ["version"] = 1, ["sha256Hash"] = hash },
    };
}
