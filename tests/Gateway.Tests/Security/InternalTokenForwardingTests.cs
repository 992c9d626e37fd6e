using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Federation.Gateway.Tests.Fixtures;
using Federation.Testing.Security;

namespace Federation.Gateway.Tests.Security;

/// <summary>What the engine sends subgraphs as Authorization: its own token per subgraph and caller, never the client's.</summary>
public sealed class InternalTokenForwardingTests : IDisposable
{
    private const string Query = "{ me { name reviews { body product { upc name } } } }";

    private readonly GatewayFixture _fixture = new();
    private readonly ConcurrentQueue<(string Subgraph, AuthenticationHeaderValue? Authorization)> _seen = new();
    private readonly GatewayEngine _engine;

    public InternalTokenForwardingTests()
    {
        var options = _fixture.Options();
        var inner = options.HandlerFactory!;
        options.HandlerFactory = name => new Recording(inner(name), name, _seen);
        options.InternalTokens = TestInternalTokens.Issuer;
        // An operator listing Authorization among the forwarded headers must still not leak the client's token.
        options.ForwardHeaders.Add("Authorization");
        _engine = new GatewayEngine(_fixture.SupergraphSdl, options);
    }

    public void Dispose()
    {
        _engine.Dispose();
        _fixture.Dispose();
    }

    [Fact]
    public async Task Execute_Should_SendEachSubgraphATokenForItWithTheCaller_When_CallerIsSignedIn()
    {
        // arrange
        var request = new GatewayRequest(Query, null, null, Headers: Client("Bearer client-token"), Caller: new GatewayCaller("42", ["shopper", "admin"]));

        // act
        var result = await _engine.ExecuteAsync(request);

        // assert
        Assert.Null(result.Body["errors"]);
        Assert.Equal(["accounts", "products", "reviews"], _seen.Select(s => s.Subgraph).Distinct().Order());
        foreach (var (subgraph, authorization) in _seen)
        {
            Assert.Equal("Bearer", authorization?.Scheme);
            var token = await InternalTokenAssert.ValidAsync(authorization!.Parameter!, subgraph);
            Assert.Equal([subgraph], token.Audiences);
            Assert.Equal("federation-gateway", token.Issuer);
            Assert.Equal("42", token.Subject);
            Assert.Equal("shopper admin", token.GetClaim("scope").Value);
            Assert.InRange(token.ValidTo - token.IssuedAt, TimeSpan.FromSeconds(59), TimeSpan.FromSeconds(61));
        }
    }

    [Fact]
    public async Task Execute_Should_SendTokensWithoutSubjectOrScope_When_CallerIsAnonymous()
    {
        // act
        await _engine.ExecuteAsync(new GatewayRequest(Query, null, null, Headers: Client("Bearer forged")));

        // assert
        Assert.NotEmpty(_seen);
        foreach (var (subgraph, authorization) in _seen)
        {
            var token = await InternalTokenAssert.ValidAsync(authorization!.Parameter!, subgraph);
            Assert.False(token.TryGetClaim("sub", out _));
            Assert.False(token.TryGetClaim("scope", out _));
        }
    }

    [Fact]
    public async Task Execute_Should_ReuseOneTokenPerSubgraphAndCaller_When_CallerAsksAgain()
    {
        // act
        await _engine.ExecuteAsync(new GatewayRequest(Query, null, null, Caller: new GatewayCaller("1", ["shopper"])));
        var first = Tokens();
        _seen.Clear();
        await _engine.ExecuteAsync(new GatewayRequest(Query, null, null, Caller: new GatewayCaller("1", ["shopper"])));
        var again = Tokens();
        _seen.Clear();
        await _engine.ExecuteAsync(new GatewayRequest(Query, null, null, Caller: new GatewayCaller("2", ["shopper"])));
        var other = Tokens();

        // assert
        Assert.Equal(first, again);
        Assert.All(first.Keys, subgraph => Assert.NotEqual(first[subgraph], other[subgraph]));
    }

    private Dictionary<string, string> Tokens() =>
        _seen.GroupBy(s => s.Subgraph).ToDictionary(g => g.Key, g => g.Select(s => s.Authorization!.Parameter!).Distinct().Single());

    private static Dictionary<string, string> Client(string authorization) => new(StringComparer.OrdinalIgnoreCase) { ["Authorization"] = authorization };

    private sealed class Recording(HttpMessageHandler inner, string subgraph, ConcurrentQueue<(string, AuthenticationHeaderValue?)> seen) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            seen.Enqueue((subgraph, request.Headers.Authorization));
            return base.SendAsync(request, cancellationToken);
        }
    }
}
