using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Federation.Gateway.Tests.Fixtures;
using Federation.Gateway.Transport;

namespace Federation.Gateway.Tests.Transport;

/// <summary>Per-subgraph timeouts and circuit breakers of the HTTP subgraph client, against scripted handlers.</summary>
public sealed class SubgraphResilienceTests
{
    private static readonly Uri Url = new("http://subgraph.test/graphql");
    private static readonly JsonObject Request = new() { ["query"] = "{ __typename }" };

    [Fact]
    public async Task Execute_Should_FailWithTimeoutError_When_SubgraphIsSlowerThanItsTimeout()
    {
        // arrange
        var slow = new ScriptedHandler(_ => TimeSpan.FromSeconds(10));
        using var client = new HttpSubgraphClient(_ => slow, TimeSpan.FromSeconds(30), name => name == "slow" ? TimeSpan.FromMilliseconds(200) : null);
        var clock = Stopwatch.StartNew();

        // act
        var error = await Assert.ThrowsAsync<SubgraphException>(() => client.ExecuteAsync("slow", Url, Request, CancellationToken.None));

        // assert
        Assert.Equal("Subgraph \"slow\" did not answer within 0.2 s.", error.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), clock.Elapsed.ToString());
    }

    [Fact]
    public async Task ExecuteRead_Should_NotSendAgain_When_SubgraphTimesOut()
    {
        // arrange
        var slow = new ScriptedHandler(_ => TimeSpan.FromSeconds(10));
        using var client = new HttpSubgraphClient(_ => slow, TimeSpan.FromMilliseconds(300));

        // act
        var error = await Assert.ThrowsAsync<SubgraphException>(() => client.ExecuteReadAsync("slow", Url, Request, null, CancellationToken.None));

        // assert
        Assert.Equal("Subgraph \"slow\" did not answer within 0.3 s.", error.Message);
        Assert.Equal(1, slow.Calls);
    }

    [Fact]
    public async Task ExecuteRead_Should_SendAgainWithinTheSameTimeout_When_FirstAttemptFailsInTransport()
    {
        // arrange
        // The second attempt gets what is left of 2.5 s: the call ends at 2.5 s, where a fresh timeout would end at 4.5 s.
        // The margin is wide because a busy test host fires timers late (2.44 s against 1.5 s was seen with 1 s + 1.5 s).
        var handler = new BrokenThenSlow(TimeSpan.FromSeconds(2));
        using var client = new HttpSubgraphClient(_ => handler, TimeSpan.FromSeconds(2.5));
        var clock = Stopwatch.StartNew();

        // act
        var error = await Assert.ThrowsAsync<SubgraphException>(() => client.ExecuteReadAsync("flaky", Url, Request, null, CancellationToken.None));

        // assert
        Assert.Equal("Subgraph \"flaky\" did not answer within 2.5 s.", error.Message);
        Assert.Equal(2, handler.Calls);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"took {clock.Elapsed.TotalMilliseconds:0} ms; a second full timeout would end at 4.5 s");
    }

    [Fact]
    public async Task Gateway_Should_AnswerOtherSubgraphsFields_When_OneSubgraphTimesOut()
    {
        // arrange
        using var fixture = new Fixtures.GatewayFixture();
        var options = fixture.Options();
        var inner = options.HandlerFactory!;
        options.HandlerFactory = name => name == "products" ? new Delaying(inner(name), TimeSpan.FromSeconds(10)) : inner(name);
        options.SubgraphTimeouts["products"] = TimeSpan.FromMilliseconds(200);
        using var engine = new GatewayEngine(fixture.SupergraphSdl, options);

        // act
        var result = await engine.ExecuteAsync(new GatewayRequest("""{ me { name } product(upc: "1") { name } }""", null, null));

        // assert
        Assert.Equal("""{"me":{"name":"Ada Lovelace"},"product":null}""", result.Body["data"]!.ToJsonString());
        Assert.Contains(result.Body["errors"]!.AsArray(), e => e!["message"]!.GetValue<string>() == "Subgraph \"products\" did not answer within 0.2 s.");
    }

    [Fact]
    public async Task Execute_Should_UseDefaultTimeout_When_SubgraphHasNoTimeoutOfItsOwn()
    {
        // arrange
        var handler = new ScriptedHandler(_ => TimeSpan.FromMilliseconds(300));
        using var client = new HttpSubgraphClient(_ => handler, TimeSpan.FromSeconds(5), name => name == "slow" ? TimeSpan.FromMilliseconds(100) : null);

        // act
        var response = await client.ExecuteAsync("other", Url, Request, CancellationToken.None);

        // assert
        Assert.Equal("""{"data":{"__typename":"Query"}}""", response.ToJsonString());
    }

    [Fact]
    public async Task Execute_Should_FailFastWithoutCallingSubgraph_When_CircuitIsOpen()
    {
        // arrange
        var handler = new ScriptedHandler(_ => throw new HttpRequestException("connection refused"));
        using var client = Breaking(handler, new ManualTime());
        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<SubgraphException>(() => client.ExecuteAsync("flaky", Url, Request, CancellationToken.None));
        }

        // act
        var error = await Assert.ThrowsAsync<SubgraphException>(() => client.ExecuteAsync("flaky", Url, Request, CancellationToken.None));

        // assert
        Assert.Contains("circuit breaker is open", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, handler.Calls);
        Assert.Equal(CircuitState.Open, client.CircuitOf("flaky"));
        Assert.Equal(CircuitState.Closed, client.CircuitOf("healthy"));
    }

    [Fact]
    public async Task Execute_Should_CloseCircuit_When_HalfOpenProbeSucceeds()
    {
        // arrange
        var failing = true;
        var handler = new ScriptedHandler(_ => failing ? throw new HttpRequestException("connection refused") : TimeSpan.Zero);
        var time = new ManualTime();
        using var client = Breaking(handler, time);
        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<SubgraphException>(() => client.ExecuteAsync("flaky", Url, Request, CancellationToken.None));
        }

        failing = false;
        time.Advance(TimeSpan.FromSeconds(31));

        // act
        var state = client.CircuitOf("flaky");
        await client.ExecuteAsync("flaky", Url, Request, CancellationToken.None);
        await client.ExecuteAsync("flaky", Url, Request, CancellationToken.None);

        // assert
        Assert.Equal(CircuitState.HalfOpen, state);
        Assert.Equal(CircuitState.Closed, client.CircuitOf("flaky"));
        Assert.Equal(5, handler.Calls);
    }

    [Fact]
    public async Task Execute_Should_ReopenCircuitForAnotherBreak_When_HalfOpenProbeFails()
    {
        // arrange
        var handler = new ScriptedHandler(_ => new StringContent("<html>bad gateway</html>", Encoding.UTF8, "text/html"), HttpStatusCode.BadGateway);
        var time = new ManualTime();
        using var client = Breaking(handler, time);
        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<SubgraphException>(() => client.ExecuteAsync("flaky", Url, Request, CancellationToken.None));
        }

        time.Advance(TimeSpan.FromSeconds(31));
        await Assert.ThrowsAsync<SubgraphException>(() => client.ExecuteAsync("flaky", Url, Request, CancellationToken.None));

        // act
        var error = await Assert.ThrowsAsync<SubgraphException>(() => client.ExecuteAsync("flaky", Url, Request, CancellationToken.None));

        // assert
        Assert.Contains("circuit breaker is open", error.Message, StringComparison.Ordinal);
        Assert.Equal(4, handler.Calls);
        Assert.Equal(CircuitState.Open, client.CircuitOf("flaky"));
    }

    [Fact]
    public async Task Execute_Should_KeepCircuitClosed_When_SubgraphAnswersWithGraphQLErrors()
    {
        // arrange
        var handler = new ScriptedHandler(_ => new StringContent("""{"errors":[{"message":"boom"}]}""", Encoding.UTF8, "application/json"), HttpStatusCode.BadRequest);
        using var client = Breaking(handler, new ManualTime());

        // act
        for (var i = 0; i < 5; i++)
        {
            await client.ExecuteAsync("strict", Url, Request, CancellationToken.None);
        }

        // assert
        Assert.Equal(CircuitState.Closed, client.CircuitOf("strict"));
        Assert.Equal(5, handler.Calls);
    }

    private static HttpSubgraphClient Breaking(HttpMessageHandler handler, TimeProvider time) => new(
        _ => handler,
        TimeSpan.FromSeconds(5),
        circuitBreaker: new CircuitBreakerOptions { FailureThreshold = 3, BreakDuration = TimeSpan.FromSeconds(30) },
        timeProvider: time);

    private sealed class Delaying(HttpMessageHandler inner, TimeSpan delay) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await Task.Delay(delay, cancellationToken);
            return await base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>The first request breaks after <paramref name="brokenAfter"/> (a connection reset); every later one hangs.</summary>
    private sealed class BrokenThenSlow(TimeSpan brokenAfter) : HttpMessageHandler
    {
        private int _calls;

        public int Calls => _calls;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _calls) == 1)
            {
                await Task.Delay(brokenAfter, cancellationToken);
                throw new HttpRequestException("Connection reset by peer");
            }

            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
    }

    /// <summary>Answers <c>{"data":{"__typename":"Query"}}</c> after a delay, or whatever content the script returns.</summary>
    private sealed class ScriptedHandler(Func<int, object> script, HttpStatusCode status = HttpStatusCode.OK) : HttpMessageHandler
    {
        private int _calls;

        public int Calls => _calls;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var outcome = script(Interlocked.Increment(ref _calls));
            if (outcome is TimeSpan delay)
            {
                await Task.Delay(delay, cancellationToken);
                outcome = new StringContent("""{"data":{"__typename":"Query"}}""", Encoding.UTF8, "application/json");
            }

            return new HttpResponseMessage(status) { Content = (HttpContent)outcome };
        }
    }
}
