using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Federation.Gateway.Tests.Fixtures;
using Federation.Gateway.Transport;
using Microsoft.Extensions.Logging;

namespace Federation.Gateway.Tests.Transport;

/// <summary>
/// A subgraph with several replicas (<c>Subgraphs:&lt;name&gt;:Urls</c>): the client spreads requests, ejects a failing
/// replica, probes it back with a read, sends a failed read once more to another replica and never a mutation.
/// </summary>
public sealed class ReplicaBalancingTests
{
    private static readonly Uri A = new("http://a.test/graphql");
    private static readonly Uri B = new("http://b.test/graphql");
    private static readonly Uri C = new("http://c.test/graphql");
    private static readonly JsonObject Request = new() { ["query"] = "{ __typename }" };

    [Fact]
    public async Task ExecuteRead_Should_SpreadRequestsEvenly_When_EveryReplicaIsHealthy()
    {
        // arrange
        var replicas = new Replicas();
        using var client = Client(replicas, new ManualTime(), A, B, C);

        // act
        for (var i = 0; i < 300; i++)
        {
            await client.ExecuteReadAsync("catalog", A, Request, null, CancellationToken.None);
        }

        // assert
        Assert.Equal([100, 100, 100], new[] { A, B, C }.Select(replicas.CallsTo));
    }

    [Fact]
    public async Task ExecuteRead_Should_AnswerEveryReadAndEjectTheReplica_When_OneReplicaRefusesConnections()
    {
        // arrange
        var replicas = new Replicas();
        replicas.Down(B);
        using var logs = new CapturedLogs();
        using var client = Client(replicas, new ManualTime(), logs, A, B);

        // act
        for (var i = 0; i < 100; i++)
        {
            await client.ExecuteReadAsync("catalog", A, Request, null, CancellationToken.None);
        }

        // assert
        Assert.Equal(3, replicas.CallsTo(B));
        Assert.Equal(100, replicas.CallsTo(A));
        var ejection = Assert.Single(logs.Entries, e => e.Level == LogLevel.Warning);
        Assert.Equal("Subgraph catalog replica http://b.test/graphql ejected after 3 consecutive failures: the other replicas serve, and the next request after 00:00:30 probes it", ejection.Message);
        Assert.Equal(CircuitState.Closed, client.CircuitOf("catalog"));
    }

    [Fact]
    public async Task ExecuteRead_Should_ProbeTheEjectedReplicaAndTakeItBack_When_ItsBreakIsOver()
    {
        // arrange
        var replicas = new Replicas();
        replicas.Down(B);
        var time = new ManualTime();
        using var logs = new CapturedLogs();
        using var client = Client(replicas, time, logs, A, B);
        for (var i = 0; i < 20; i++)
        {
            await client.ExecuteReadAsync("catalog", A, Request, null, CancellationToken.None);
        }

        var ejectedAfter = replicas.CallsTo(B);
        replicas.Up(B);
        time.Advance(TimeSpan.FromSeconds(31));

        // act
        for (var i = 0; i < 20; i++)
        {
            await client.ExecuteReadAsync("catalog", A, Request, null, CancellationToken.None);
        }

        // assert
        Assert.Equal(3, ejectedAfter);
        // The probe, then every other read.
        Assert.InRange(replicas.CallsTo(B) - ejectedAfter, 10, 11);
        Assert.Contains(logs.Entries, e => e.Message == "Subgraph catalog replica http://b.test/graphql is back: a request to it succeeded");
    }

    [Fact]
    public async Task Execute_Should_SendAMutationToAnotherReplica_When_ItsReplicaRefusedTheConnection()
    {
        // arrange
        var replicas = new Replicas();
        replicas.Down(A);
        using var client = Client(replicas, new ManualTime(), A, B);

        // act
        var answers = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            answers.Add(await Attempt(() => client.ExecuteAsync("orders", A, Request, null, CancellationToken.None)));
        }

        // assert
        Assert.Equal(["ok", "ok", "ok", "ok"], answers);
        Assert.Equal((3, 4), (replicas.CallsTo(A), replicas.CallsTo(B)));
    }

    [Fact]
    public async Task Execute_Should_FailWithoutSendingAgain_When_AMutationsReplicaBrokeAfterTheRequestWasSent()
    {
        // arrange
        var replicas = new Replicas();
        replicas.Broken(A);
        using var client = Client(replicas, new ManualTime(), A, B);

        // act
        var first = await Attempt(() => client.ExecuteAsync("orders", A, Request, null, CancellationToken.None));
        var second = await Attempt(() => client.ExecuteAsync("orders", A, Request, null, CancellationToken.None));

        // assert
        Assert.Equal(("Request to subgraph \"orders\" failed: The response ended prematurely.", "ok"), (first, second));
        Assert.Equal((1, 1), (replicas.CallsTo(A), replicas.CallsTo(B)));
    }

    [Fact]
    public async Task Execute_Should_ProbeTheEjectedReplicaWithAMutationAndTakeItBack_When_MutationsAreAllItGets()
    {
        // arrange
        var replicas = new Replicas();
        replicas.Down(B);
        var time = new ManualTime();
        using var client = Client(replicas, time, A, B);
        for (var i = 0; i < 10; i++)
        {
            await client.ExecuteAsync("orders", A, Request, null, CancellationToken.None);
        }

        var ejectedAfter = replicas.CallsTo(B);
        time.Advance(TimeSpan.FromSeconds(31));
        var stillDown = await Attempt(() => client.ExecuteAsync("orders", A, Request, null, CancellationToken.None));
        replicas.Up(B);
        time.Advance(TimeSpan.FromSeconds(31));

        // act
        for (var i = 0; i < 10; i++)
        {
            await client.ExecuteAsync("orders", A, Request, null, CancellationToken.None);
        }

        // assert
        Assert.Equal((3, "ok"), (ejectedAfter, stillDown));
        Assert.Equal(CircuitState.Closed, client.ReplicasOf("orders")!.Replicas[1].Breaker.State);
        Assert.InRange(replicas.CallsTo(B) - ejectedAfter - 1, 5, 6);
    }

    [Fact]
    public async Task ExecuteRead_Should_SayEveryReplicaIsEjected_When_AllRefuseConnections()
    {
        // arrange
        var replicas = new Replicas();
        replicas.Down(A);
        replicas.Down(B);
        using var client = Client(replicas, new ManualTime(), A, B);
        for (var i = 0; i < 3; i++)
        {
            await Attempt(() => client.ExecuteReadAsync("catalog", A, Request, null, CancellationToken.None));
        }

        // act
        var error = await Attempt(() => client.ExecuteReadAsync("catalog", A, Request, null, CancellationToken.None));

        // assert
        Assert.Equal("Subgraph \"catalog\" is unavailable: every one of its 2 replicas is ejected after repeated failures.", error);
        Assert.Equal(6, replicas.CallsTo(A) + replicas.CallsTo(B));
        Assert.Equal(CircuitState.Open, client.CircuitOf("catalog"));
    }

    [Fact]
    public async Task Subscribe_Should_OpenSubscriptionsOnTheReplicasInTurn_When_EveryReplicaIsHealthy()
    {
        // arrange
        var replicas = new Replicas();
        using var client = Client(replicas, new ManualTime(), A, B);
        using var subscriptions = new SseSubgraphSubscriptions(_ => replicas, client.ReplicasOf);

        // act
        var answers = await SubscribeAsync(subscriptions, 4);

        // assert
        Assert.Equal(["Query", "Query", "Query", "Query"], answers);
        Assert.Equal((2, 2), (replicas.CallsTo(A), replicas.CallsTo(B)));
    }

    [Fact]
    public async Task Subscribe_Should_LeaveTheReplicaReadsEjected_When_ItRefusedThem()
    {
        // arrange
        var replicas = new Replicas();
        replicas.Down(B);
        using var client = Client(replicas, new ManualTime(), A, B);
        using var subscriptions = new SseSubgraphSubscriptions(_ => replicas, client.ReplicasOf);
        for (var i = 0; i < 10; i++)
        {
            await client.ExecuteReadAsync("catalog", A, Request, null, CancellationToken.None);
        }

        var ejectedAfter = (replicas.CallsTo(A), replicas.CallsTo(B));

        // act
        var answers = await SubscribeAsync(subscriptions, 4);

        // assert
        Assert.Equal((10, 3), ejectedAfter);
        Assert.Equal(["Query", "Query", "Query", "Query"], answers);
        Assert.Equal((14, 3), (replicas.CallsTo(A), replicas.CallsTo(B)));
    }

    [Fact]
    public async Task Subscribe_Should_OpenOnTheOtherReplica_When_ItsTurnRefusesTheConnection()
    {
        // arrange
        var replicas = new Replicas();
        replicas.Down(A);
        using var client = Client(replicas, new ManualTime(), A, B);
        using var subscriptions = new SseSubgraphSubscriptions(_ => replicas, client.ReplicasOf);

        // act
        var answers = await SubscribeAsync(subscriptions, 2);

        // assert: each opened on B after A refused it (the second attempt takes the next turn, so A's comes round again).
        Assert.Equal(["Query", "Query"], answers);
        Assert.Equal((2, 2), (replicas.CallsTo(A), replicas.CallsTo(B)));
    }

    [Fact]
    public async Task Gateway_Should_BalanceASubgraphsReplicas_When_SettingsListSeveralUrls()
    {
        // arrange
        using var fixture = new GatewayFixture();
        var options = fixture.Options();
        var inner = options.HandlerFactory!;
        var hosts = new ConcurrentDictionary<string, int>();
        options.HandlerFactory = name => name == "products" ? new Counting(inner(name), hosts) : inner(name);
        options.SubgraphReplicas["products"] = [new Uri("http://products-1.test/graphql"), new Uri("http://products-2.test/graphql")];
        using var engine = new GatewayEngine(fixture.SupergraphSdl, options);

        // act
        for (var i = 0; i < 10; i++)
        {
            var result = await engine.ExecuteAsync(new GatewayRequest("""{ product(upc: "1") { name } }""", null, null));
            Assert.Null(result.Body["errors"]);
        }

        // assert
        Assert.Equal(new Dictionary<string, int> { ["products-1.test"] = 5, ["products-2.test"] = 5 }, hosts.OrderBy(h => h.Key).ToDictionary());
    }

    private static HttpSubgraphClient Client(Replicas replicas, TimeProvider time, params Uri[] urls) => Client(replicas, time, null, urls);

    private static HttpSubgraphClient Client(Replicas replicas, TimeProvider time, CapturedLogs? logs, params Uri[] urls) => new(
        _ => replicas,
        TimeSpan.FromSeconds(5),
        circuitBreaker: new CircuitBreakerOptions { FailureThreshold = 3, BreakDuration = TimeSpan.FromSeconds(30) },
        timeProvider: time,
        logger: logs?.Factory().CreateLogger<HttpSubgraphClient>(),
        replicasOf: _ => urls);

    private static async Task<List<string?>> SubscribeAsync(SseSubgraphSubscriptions subscriptions, int count)
    {
        var typenames = new List<string?>();
        for (var i = 0; i < count; i++)
        {
            // The fake answers JSON, not an event stream: its one answer is the subscription's only event.
            await foreach (var answer in subscriptions.SubscribeAsync("catalog", A, Request, null, CancellationToken.None))
            {
                typenames.Add(answer["data"]?["__typename"]?.GetValue<string>());
            }
        }

        return typenames;
    }

    private static async Task<string> Attempt(Func<Task<JsonObject>> send)
    {
        try
        {
            await send();
            return "ok";
        }
        catch (SubgraphException e)
        {
            return e.Message;
        }
    }

    /// <summary>Answers for every host that is up; a host that is down refuses the connection, as a killed process does.</summary>
    private sealed class Replicas : HttpMessageHandler
    {
        private readonly ConcurrentDictionary<string, int> _calls = new();
        private readonly ConcurrentDictionary<string, bool> _down = new();

        public int CallsTo(Uri url) => _calls.GetValueOrDefault(url.Host);

        public void Down(Uri url) => _down[url.Host] = true;

        /// <summary>The host takes the request and then drops the connection without an answer.</summary>
        public void Broken(Uri url) => _down[url.Host] = false;

        public void Up(Uri url) => _down.TryRemove(url.Host, out _);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var host = request.RequestUri!.Host;
            _calls.AddOrUpdate(host, 1, (_, n) => n + 1);
            if (_down.TryGetValue(host, out var refused))
            {
                throw refused
                    ? new HttpRequestException(HttpRequestError.ConnectionError, $"Connection refused ({host}:80)")
                    : new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely.");
            }

            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK)
            {
                Content = new StringContent("""{"data":{"__typename":"Query"}}""", Encoding.UTF8, "application/json"),
            });
        }
    }

    /// <summary>Counts requests per host, then sends them to the in-process subgraph whatever the host.</summary>
    private sealed class Counting(HttpMessageHandler inner, ConcurrentDictionary<string, int> hosts) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            hosts.AddOrUpdate(request.RequestUri!.Host, 1, (_, n) => n + 1);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
