using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Federation.Gateway.Execution;
using Federation.Gateway.Transport;

namespace Federation.Gateway.Tests.Transport;

/// <summary>The subgraph client's switchable sharing of identical in-flight read requests.</summary>
public sealed class DeduplicationTests
{
    private static readonly Uri Url = new("http://subgraph.test/graphql");

    [Fact]
    public async Task ExecuteRead_Should_ShareOneRoundTrip_When_IdenticalReadsAreInFlightAndDeduplicationIsOn()
    {
        // arrange
        var handler = new CountingHandler(TimeSpan.FromMilliseconds(300));
        using var client = new HttpSubgraphClient(_ => handler, deduplicate: true);

        // act
        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => client.ExecuteReadAsync("s", Url, Request(), null, CancellationToken.None)));

        // assert
        Assert.Equal(1, handler.Calls);
        Assert.Equal(9, client.DeduplicatedRequests);
        Assert.All(answers, a => Assert.Equal("""{"data":{"n":1}}""", a.ToJsonString()));
        answers[0]["data"]!["n"] = 2;
        Assert.Equal(1, answers[1]["data"]!["n"]!.GetValue<int>());
    }

    [Fact]
    public async Task CacheableRead_Should_GiveEveryCallerItsOwnTree_When_ARoundTripIsShared()
    {
        // arrange
        var handler = new CountingHandler(TimeSpan.FromMilliseconds(300));
        using var client = new HttpSubgraphClient(_ => handler, deduplicate: true);

        // act
        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => client.ExecuteCacheableReadAsync("s", Url, Request(), null, CancellationToken.None)));
        answers[0].Response.Data!["n"] = ResultLeaf.String("changed");

        // assert
        Assert.Equal(1, handler.Calls);
        Assert.Equal(10, answers.Select(a => a.Response.Data).Distinct(ReferenceEqualityComparer.Instance).Count());
        Assert.All(answers.Skip(1), a => Assert.Equal("""{"n":1}""", a.Response.Data!.ToJsonString()));
    }

    [Fact]
    public async Task ExecuteRead_Should_SendEveryRequest_When_DeduplicationIsOff()
    {
        // arrange
        var handler = new CountingHandler(TimeSpan.FromMilliseconds(100));
        using var client = new HttpSubgraphClient(_ => handler);

        // act
        await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => client.ExecuteReadAsync("s", Url, Request(), null, CancellationToken.None)));

        // assert
        Assert.Equal(10, handler.Calls);
        Assert.Equal(0, client.DeduplicatedRequests);
    }

    [Fact]
    public async Task Execute_Should_NeverShare_When_RequestIsNotARead()
    {
        // arrange
        var handler = new CountingHandler(TimeSpan.FromMilliseconds(100));
        using var client = new HttpSubgraphClient(_ => handler, deduplicate: true);

        // act
        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => client.ExecuteAsync("s", Url, Request(), null, CancellationToken.None)));

        // assert
        Assert.Equal(5, handler.Calls);
    }

    [Fact]
    public async Task ExecuteRead_Should_SendSeparately_When_BodiesOrForwardedHeadersDiffer()
    {
        // arrange
        var handler = new CountingHandler(TimeSpan.FromMilliseconds(300));
        using var client = new HttpSubgraphClient(_ => handler, deduplicate: true);
        var alice = new Dictionary<string, string> { ["Authorization"] = "Bearer alice" };
        var bob = new Dictionary<string, string> { ["Authorization"] = "Bearer bob" };

        // act
        await Task.WhenAll(
            client.ExecuteReadAsync("s", Url, Request(), alice, CancellationToken.None),
            client.ExecuteReadAsync("s", Url, Request(), alice, CancellationToken.None),
            client.ExecuteReadAsync("s", Url, Request(), bob, CancellationToken.None),
            client.ExecuteReadAsync("s", Url, Request("{ other }"), alice, CancellationToken.None));

        // assert
        Assert.Equal(3, handler.Calls);
    }

    [Fact]
    public async Task ExecuteRead_Should_StillAnswerOthers_When_TheFirstCallerGivesUp()
    {
        // arrange
        var handler = new CountingHandler(TimeSpan.FromMilliseconds(300));
        using var client = new HttpSubgraphClient(_ => handler, deduplicate: true);
        using var impatient = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        // act
        var first = client.ExecuteReadAsync("s", Url, Request(), null, impatient.Token);
        var second = client.ExecuteReadAsync("s", Url, Request(), null, CancellationToken.None);

        // assert
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        Assert.Equal("""{"data":{"n":1}}""", (await second).ToJsonString());
        Assert.Equal(1, handler.Calls);
    }

    private static JsonObject Request(string query = "{ n }") => new() { ["query"] = query };

    private sealed class CountingHandler(TimeSpan delay) : HttpMessageHandler
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            await Task.Delay(delay, cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent("""{"data":{"n":1}}""", Encoding.UTF8, "application/json"),
            };
        }
    }
}
