using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Federation.Gateway.Tests.Fixtures;

namespace Federation.Gateway.Tests.Execution;

/// <summary>Entity fetches to one subgraph that become ready together travel as one request, answered exactly as if sent alone.</summary>
public sealed class BatchingTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    // Two entity fetches to reviews, both waiting only on the products root fetch; warranty fails for product 2.
    private const string TwoReviewsFetches = """{ topProducts(first: 3) { upc warranty } product(upc: "1") { name manual } }""";

    [Fact]
    public async Task Query_Should_SendOneRequestPerSubgraph_When_EntityFetchesBecomeReadyTogether()
    {
        // arrange
        var (engine, requests) = Recording(batch: true);

        // act
        var result = await engine.ExecuteAsync(new GatewayRequest(TwoReviewsFetches, null, null));

        // assert
        var reviews = Assert.Single(requests["reviews"]);
        Assert.Contains("_0: _entities(representations: $representations0)", reviews["query"]!.GetValue<string>());
        Assert.Contains("_1: _entities(representations: $representations1)", reviews["query"]!.GetValue<string>());
        Assert.Equal(3, reviews["variables"]!["representations0"]!.AsArray().Count);
        Assert.Single(reviews["variables"]!["representations1"]!.AsArray());
        Assert.Equal("manual-1", result.Body["data"]!["product"]!["manual"]!.GetValue<string>());
        engine.Dispose();
    }

    [Fact]
    public async Task Query_Should_AnswerAndRePathErrorsAsUnbatched_When_EntityFetchesAreBatched()
    {
        // arrange
        var (batched, batchedRequests) = Recording(batch: true);
        var (single, singleRequests) = Recording(batch: false);

        // act
        var withBatching = await batched.ExecuteAsync(new GatewayRequest(TwoReviewsFetches, null, null));
        var withoutBatching = await single.ExecuteAsync(new GatewayRequest(TwoReviewsFetches, null, null));

        // assert
        Assert.Single(batchedRequests["reviews"]);
        Assert.Equal(2, singleRequests["reviews"].Count);
        Assert.Equal(withoutBatching.Body.ToJsonString(), withBatching.Body.ToJsonString());
        var error = Assert.Single(withBatching.Body["errors"]!.AsArray())!;
        Assert.Equal("""["topProducts",1,"warranty"]""", error["path"]!.ToJsonString());
        Assert.Equal("reviews", error["extensions"]!["serviceName"]!.GetValue<string>());
        batched.Dispose();
        single.Dispose();
    }

    [Fact]
    public async Task Query_Should_ReportEveryBatchedFetchFailed_When_BatchedRequestFails()
    {
        // arrange
        var options = fixture.Options();
        var inner = options.HandlerFactory!;
        options.HandlerFactory = name => name == "reviews" ? new Failing() : inner(name);
        using var engine = new GatewayEngine(fixture.SupergraphSdl, options);

        // act
        var result = await engine.ExecuteAsync(new GatewayRequest(TwoReviewsFetches, null, null));

        // assert
        var paths = result.Body["errors"]!.AsArray().Select(e => e!["path"]?.ToJsonString()).Order().ToList();
        Assert.Equal(["""["product"]""", """["topProducts",0]"""], paths);
        Assert.All(result.Body["errors"]!.AsArray(), e => Assert.Equal("reviews", e!["extensions"]!["serviceName"]!.GetValue<string>()));
    }

    private (GatewayEngine Engine, ConcurrentDictionary<string, List<JsonObject>> Requests) Recording(bool batch)
    {
        var requests = new ConcurrentDictionary<string, List<JsonObject>>(StringComparer.Ordinal);
        var options = fixture.Options();
        var inner = options.HandlerFactory!;
        options.HandlerFactory = name => new Recorder(inner(name), requests.GetOrAdd(name, _ => []));
        options.BatchEntityFetches = batch;
        return (new GatewayEngine(fixture.SupergraphSdl, options), requests);
    }

    private sealed class Recorder(HttpMessageHandler inner, List<JsonObject> requests) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = JsonNode.Parse(await request.Content!.ReadAsStringAsync(cancellationToken))!.AsObject();
            lock (requests)
            {
                requests.Add(body);
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }

    private sealed class Failing : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.BadGateway) { Content = new StringContent("upstream down") });
    }
}
