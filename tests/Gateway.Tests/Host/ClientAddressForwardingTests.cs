using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using Federation.Gateway.Tests.Fixtures;

namespace Federation.Gateway.Tests.Host;

/// <summary>
/// The X-Forwarded-For chain the real host sends subgraphs as a proxy: the client's address on mutation root fetches
/// only (reads deduplicate on their headers), the incoming chain kept only from the gateway's own trusted proxies.
/// </summary>
// Adds products to the static fixture data, which the differential fuzz tests must not see change under them.
[Collection(FixtureData.Collection)]
public sealed class ClientAddressForwardingTests : IAsyncLifetime
{
    private const string Mutation = """{"query":"mutation { addProduct(name: \"Lamp\", price: 12) { name reviews { body } } }"}""";

    private readonly GatewayFixture _fixture = new();
    private readonly ConcurrentBag<(string Subgraph, HttpRequestHeaders Headers)> _seen = [];
    private readonly List<HostedGateway> _gateways = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var gateway in _gateways)
        {
            await gateway.DisposeAsync();
        }

        _fixture.Dispose();
    }

    [Fact]
    public async Task Mutation_Should_SendConnectionAddressOnRootFetchOnly_When_NoProxyIsTrusted()
    {
        // arrange
        var client = await StartAsync();

        // act
        using var response = await PostAsync(client, Mutation, forwardedFor: "203.0.113.9");

        // assert
        response.EnsureSuccessStatusCode();
        Assert.Equal(["127.0.0.1"], Seen("products").GetValues("X-Forwarded-For"));
        Assert.False(Seen("reviews").Contains("X-Forwarded-For"));
    }

    [Fact]
    public async Task Query_Should_SendNoForwardedFor_When_ClientSendsOne()
    {
        // arrange
        var client = await StartAsync("--ForwardHeaders:0", "X-Forwarded-For");

        // act
        using var response = await PostAsync(client, """{"query":"{ topProducts { name reviews { body } } }"}""", forwardedFor: "203.0.113.9");

        // assert
        response.EnsureSuccessStatusCode();
        Assert.Equal(["products", "reviews"], _seen.Select(s => s.Subgraph).Distinct().Order());
        Assert.All(_seen, s => Assert.False(s.Headers.Contains("X-Forwarded-For")));
    }

    [Fact]
    public async Task Mutation_Should_AppendResolvedClientToIncomingChain_When_FrontProxyIsTrusted()
    {
        // arrange
        var client = await StartAsync("--ForwardedHeaders:TrustedProxies:0", "127.0.0.0/8");

        // act
        using var response = await PostAsync(client, Mutation, forwardedFor: "198.51.100.7, 203.0.113.9");

        // assert
        response.EnsureSuccessStatusCode();
        Assert.Equal(["198.51.100.7, 203.0.113.9"], Seen("products").GetValues("X-Forwarded-For"));
    }

    [Fact]
    public async Task Host_Should_RefuseToStart_When_TrustedProxyIsNotAnAddress()
    {
        // act
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync("--ForwardedHeaders:TrustedProxies:0", "gateway.internal"));

        // assert
        Assert.Contains("ForwardedHeaders:TrustedProxies must list IP addresses or networks", failure.Message, StringComparison.Ordinal);
    }

    private HttpRequestHeaders Seen(string subgraph) => Assert.Single(_seen, s => s.Subgraph == subgraph).Headers;

    private async Task<HttpClient> StartAsync(params string[] settings)
    {
        var inner = _fixture.Options().HandlerFactory!;
        var gateway = await HostedGateway.StartAsync(_fixture, settings, name => new RecordingHandler(inner(name), name, _seen));
        _gateways.Add(gateway);
        return gateway.Client;
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string body, string forwardedFor)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return client.SendAsync(request);
    }
}
