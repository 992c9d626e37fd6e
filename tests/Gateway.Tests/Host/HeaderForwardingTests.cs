using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using Federation.Gateway.Tests.Fixtures;
using Federation.Gateway.Tests.Security;
using Federation.Testing.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Federation.Gateway.Tests.Host;

/// <summary>
/// Which client headers the real host passes to subgraphs (the configured ones, never the client's Authorization: an
/// internal token instead), and host configuration of timeouts and breakers.
/// </summary>
public sealed class HeaderForwardingTests : IAsyncLifetime
{
    private readonly GatewayFixture _fixture = new();
    private readonly ConcurrentBag<(string Subgraph, HttpRequestHeaders Headers)> _seen = [];
    private HostedGateway _gateway = null!;
    private TokenIssuer _issuer = null!;

    public async Task InitializeAsync()
    {
        _issuer = await TokenIssuer.StartAsync();
        var inner = _fixture.Options().HandlerFactory!;
        _gateway = await HostedGateway.StartAsync(
            _fixture,
            [
                "--ForwardHeaders:0", "X-Tenant", "--Subgraphs:reviews:Timeout", "0.25", "--CircuitBreaker:FailureThreshold", "7",
                "--CircuitBreaker:BreakDuration", "00:01:00", "--InternalTokens:KeysPath", TestInternalTokens.PrivateKeysPath,
                "--Authentication:MetadataAddress", _issuer.MetadataAddress, "--Authentication:RequireHttpsMetadata", "false",
            ],
            name => new RecordingHandler(inner(name), name, _seen));
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _issuer.DisposeAsync();
        _fixture.Dispose();
    }

    [Fact]
    public async Task Post_Should_SendInternalTokenAndConfiguredHeadersToEverySubgraph_When_ClientSendsThem()
    {
        // arrange
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent("""{"query":"{ me { name reviews { body } } }"}""", Encoding.UTF8, "application/json"),
        };
        var token = _issuer.Token();
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("X-Tenant", "acme");
        request.Headers.Add("X-Not-Forwarded", "secret");

        // act
        using var response = await _gateway.Client.SendAsync(request);

        // assert
        response.EnsureSuccessStatusCode();
        Assert.Equal(["accounts", "reviews"], _seen.Select(s => s.Subgraph).Distinct().Order());
        foreach (var s in _seen)
        {
            Assert.Equal("Bearer", s.Headers.Authorization?.Scheme);
            Assert.DoesNotContain("token-123", s.Headers.Authorization?.Parameter, StringComparison.Ordinal);
            Assert.Equal([s.Subgraph], (await InternalTokenAssert.ValidAsync(s.Headers.Authorization!.Parameter!, s.Subgraph)).Audiences);
            Assert.Equal(["acme"], s.Headers.GetValues("X-Tenant"));
            Assert.False(s.Headers.Contains("X-Not-Forwarded"));
        }
    }

    [Fact]
    public async Task Get_Should_SendAnonymousInternalToken_When_ClientSendsNone()
    {
        // act
        using var response = await _gateway.Client.GetAsync("/graphql?query=%7B%20me%20%7B%20name%20%7D%20%7D");

        // assert
        response.EnsureSuccessStatusCode();
        Assert.Single(_seen);
        var token = await InternalTokenAssert.ValidAsync(_seen.Single().Headers.Authorization!.Parameter!, "accounts");
        Assert.False(token.TryGetClaim("sub", out _));
        Assert.False(token.TryGetClaim("scope", out _));
        Assert.False(_seen.Single().Headers.Contains("X-Tenant"));
    }

    [Fact]
    public void Host_Should_ReadTimeoutsAndBreakerFromConfiguration_When_Configured()
    {
        // act
        var options = _gateway.App.Services.GetRequiredService<GatewayEngine>().Options;

        // assert
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.SubgraphTimeouts["reviews"]);
        Assert.False(options.SubgraphTimeouts.ContainsKey("accounts"));
        Assert.Equal(7, options.CircuitBreaker.FailureThreshold);
        Assert.Equal(TimeSpan.FromMinutes(1), options.CircuitBreaker.BreakDuration);
        Assert.Equal(["X-Tenant"], options.ForwardHeaders);
    }
}
