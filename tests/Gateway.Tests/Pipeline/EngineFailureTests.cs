using System.Text.Json.Nodes;
using Federation.Gateway.Tests.Fixtures;
using Federation.Gateway.Transport;
using Microsoft.Extensions.Logging;

namespace Federation.Gateway.Tests.Pipeline;

/// <summary>A gateway bug answers with a generic error and a request id; the exception itself goes to the log only.</summary>
public sealed class EngineFailureTests
{
    private static readonly string SupergraphSdl = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "supergraph.graphql"));

    [Fact]
    public async Task Execute_Should_LogExceptionAndHideItsMessage_When_EngineThrows()
    {
        // arrange
        var logs = new CapturedLogs();
        using var factory = logs.Factory();
        using var engine = new GatewayEngine(SupergraphSdl, client: new ThrowingClient(), loggerFactory: factory);

        // act
        var result = await engine.ExecuteAsync(new GatewayRequest("query Me { me { name } }", null, null));

        // assert
        Assert.Equal(500, result.StatusCode);
        var error = Assert.Single(result.Body["errors"]!.AsArray())!;
        Assert.Equal("Internal server error.", error["message"]!.GetValue<string>());
        Assert.Equal("INTERNAL_SERVER_ERROR", error["extensions"]!["code"]!.GetValue<string>());
        Assert.DoesNotContain(ThrowingClient.Secret, result.Body.ToJsonString(), StringComparison.Ordinal);

        var requestId = error["extensions"]!["requestId"]!.GetValue<string>();
        var logged = Assert.Single(logs.Entries, e => e.Level == LogLevel.Error);
        Assert.Equal(ThrowingClient.Secret, logged.Exception!.Message);
        Assert.Contains(nameof(ThrowingClient), logged.Exception.StackTrace, StringComparison.Ordinal);
        Assert.Equal(requestId, logged.Values["RequestId"]);
        Assert.Equal("Me", logged.Values["OperationName"]);
    }

    [Fact]
    public void CircuitBreaker_Should_LogOpeningAndClosing_When_SubgraphFailsThenRecovers()
    {
        // arrange
        var logs = new CapturedLogs();
        using var factory = logs.Factory();
        var time = new ManualTime();
        var breaker = new CircuitBreaker(
            new CircuitBreakerOptions { FailureThreshold = 2, BreakDuration = TimeSpan.FromSeconds(5) },
            time,
            "reviews",
            factory.CreateLogger("breaker"));

        // act
        breaker.Failed();
        breaker.Failed();
        breaker.Failed();
        time.Now += TimeSpan.FromSeconds(6);
        var probe = breaker.TryEnter();
        breaker.Succeeded();

        // assert
        Assert.True(probe);
        Assert.Collection(
            logs.Entries,
            opened =>
            {
                Assert.Equal(LogLevel.Warning, opened.Level);
                Assert.Equal("reviews", opened.Values["Subgraph"]);
                Assert.Equal(2, opened.Values["Failures"]);
            },
            closed =>
            {
                Assert.Equal(LogLevel.Information, closed.Level);
                Assert.Equal("reviews", closed.Values["Subgraph"]);
            });
    }

    private sealed class ThrowingClient : ISubgraphClient
    {
        public const string Secret = "connection to 10.0.0.7:5432 refused for user gateway_admin";

        public Task<JsonObject> ExecuteAsync(string subgraph, Uri url, JsonObject request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException(Secret);
    }
}
