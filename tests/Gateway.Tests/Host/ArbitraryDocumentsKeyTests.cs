using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Federation.Gateway.Host;
using Federation.Gateway.Tests.Fixtures;

namespace Federation.Gateway.Tests.Host;

/// <summary>
/// Allow-list mode with <c>PersistedDocuments:ArbitraryDocumentsKey</c>: only a request that presents the key runs a
/// document outside the manifest, and it never shares an answer with one that does not.
/// </summary>
public sealed class ArbitraryDocumentsKeyTests : IAsyncLifetime
{
    private const string Listed = "{ me { name } }";
    private const string Unlisted = "{ me { id } }";
    private static readonly string Key = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));

    private readonly GatewayFixture _fixture = new();
    private readonly string _manifest = Path.Combine(Path.GetTempPath(), $"trusted-{Guid.NewGuid():N}.json");
    private HostedGateway _gateway = null!;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(_manifest, new JsonObject { [Hash(Listed)] = Listed }.ToJsonString());
        _gateway = await HostedGateway.StartAsync(_fixture, [
            "--PersistedDocuments:Mode", "allow-list",
            "--PersistedDocuments:Manifests:0", _manifest,
            "--PersistedDocuments:ArbitraryDocumentsKey", Key,
            "--Traffic:DeduplicateRequests", "true",
        ]);
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        _fixture.Dispose();
        File.Delete(_manifest);
    }

    [Fact]
    public async Task Post_Should_RunAnUnlistedDocument_When_TheRequestPresentsTheKey()
    {
        // act
        var (status, body) = await PostAsync(Unlisted, Key);

        // assert
        Assert.Equal((HttpStatusCode.OK, """{"data":{"me":{"id":"u1"}}}"""), (status, body));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-the-key")]
    public async Task Post_Should_RefuseAnUnlistedDocument_When_TheKeyIsMissingOrWrong(string? key)
    {
        // act
        var (status, body) = await PostAsync(Unlisted, key);

        // assert
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("PERSISTED_QUERY_NOT_IN_LIST", JsonNode.Parse(body)!["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Post_Should_RefuseTheRequestWithoutTheKey_When_ItArrivesWhileAnIdenticalKeyedOneIsInFlight()
    {
        // act: identical requests at once, half with the key; deduplication of client requests is on.
        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => PostAsync(Unlisted, i % 2 == 0 ? Key : null)));

        // assert
        Assert.All(answers.Where((_, i) => i % 2 == 0), a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.All(answers.Where((_, i) => i % 2 == 1), a => Assert.Equal(HttpStatusCode.BadRequest, a.Status));
    }

    [Fact]
    public async Task Post_Should_RunTheListedDocument_When_NoKeyIsSent()
    {
        // act
        var (status, body) = await PostAsync(Listed, null);

        // assert
        Assert.Equal((HttpStatusCode.OK, """{"data":{"me":{"name":"Ada Lovelace"}}}"""), (status, body));
    }

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(string query, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent(new JsonObject { ["query"] = query }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (key is not null)
        {
            request.Headers.Add(GraphQLEndpoint.ArbitraryDocumentsHeader, key);
        }

        using var response = await _gateway.Client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string Hash(string query) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(query)));
}
