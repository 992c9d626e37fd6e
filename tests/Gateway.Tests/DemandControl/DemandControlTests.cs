using System.Text.Json.Nodes;
using Federation.Gateway.DemandControl;
using Federation.Gateway.Tests.Fixtures;

namespace Federation.Gateway.Tests.DemandControl;

/// <summary>Demand control in the engine: refusal before any fetch, measure mode, and the cost figures on request.</summary>
[Collection(FixtureData.Collection)]
public sealed class DemandControlTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    /// <summary>The fixture supergraph with the cost spec linked and <c>topProducts</c> sized by <c>first</c>.</summary>
    private string CostedSupergraph => fixture.SupergraphSdl
        .Replace(
            "@link(url: \"https://specs.apollo.dev/inaccessible/v0.2\", for: SECURITY)",
            "@link(url: \"https://specs.apollo.dev/inaccessible/v0.2\", for: SECURITY)\n  @link(url: \"https://specs.apollo.dev/cost/v0.1\", import: [\"@cost\", \"@listSize\"])",
            StringComparison.Ordinal)
        .Replace(
            "topProducts(first: Int = 5): [Product!]! @join__field(graph: PRODUCTS)",
            "topProducts(first: Int = 5): [Product!]! @join__field(graph: PRODUCTS) @listSize(slicingArguments: [\"first\"], requireOneSlicingArgument: false)",
            StringComparison.Ordinal);

    [Fact]
    public async Task Execute_Should_RefuseBeforeAnyFetch_When_EstimateIsAboveMax()
    {
        // arrange: every subgraph call fails the test
        var fetches = 0;
        var options = new GatewayOptions
        {
            HandlerFactory = _ => new CountingHandler(() => Interlocked.Increment(ref fetches)),
        };
        options.DemandControl.MaxCost = 1_000;
        using var engine = new GatewayEngine(Repository.SupergraphSdl, options);

        // act: products 1 + 100 x (Product 1 + reviews 1 + 100 x Review 1) = 10,201
        var result = await engine.ExecuteAsync(new GatewayRequest("{ products(first: 100) { nodes { reviews(first: 100) { nodes { id } } } } }", null, null));

        // assert
        Assert.Equal(400, result.StatusCode);
        Assert.Equal(
            """{"errors":[{"message":"The operation is estimated to cost 10201, above the maximum of 1000.","extensions":{"cost.estimated":10201,"cost.max":1000,"code":"COST_ESTIMATED_TOO_EXPENSIVE"}}]}""",
            result.Body.ToJsonString());
        Assert.Equal(0, fetches);
    }

    [Fact]
    public async Task Execute_Should_PriceEveryExpandedSpread_When_FragmentsDoubleTheSelection()
    {
        // arrange: 2^11 copies of topProducts(first: 1) { upc }, under the field limit (5,000) but not under a maximum cost of 1,000
        var options = fixture.Options();
        options.DemandControl.MaxCost = 1_000;
        using var engine = new GatewayEngine(CostedSupergraph, options);
        var query = AbusiveDocuments.DoublingFragments(11).Replace("{ __typename }", "{ topProducts(first: 1) { upc } }", StringComparison.Ordinal);

        // act
        var result = await engine.ExecuteAsync(new GatewayRequest(query, null, null));

        // assert
        Assert.Equal(400, result.StatusCode);
        Assert.Equal("COST_ESTIMATED_TOO_EXPENSIVE", result.Body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
        Assert.Equal(2048, result.Body["errors"]![0]!["extensions"]!["cost.estimated"]!.GetValue<double>());
    }

    [Fact]
    public async Task Execute_Should_AnswerAndReportTheEstimate_When_ModeIsMeasure()
    {
        // arrange
        var options = fixture.Options();
        options.DemandControl.Mode = DemandControlMode.Measure;
        options.DemandControl.MaxCost = 1;
        using var engine = new GatewayEngine(CostedSupergraph, options);

        // act
        var result = await engine.ExecuteAsync(new GatewayRequest("{ topProducts(first: 2) { upc } }", null, null, IncludeCost: true));

        // assert
        Assert.Equal(200, result.StatusCode);
        Assert.Equal(2, result.Body["data"]!["topProducts"]!.AsArray().Count);
        Assert.Equal(
            """{"estimated":2,"max":1,"result":"COST_ESTIMATED_TOO_EXPENSIVE","mode":"measure","actual":2}""",
            result.Body["extensions"]!["cost"]!.ToJsonString());
    }

    [Fact]
    public async Task Execute_Should_ReportActualCostFromTheResponse_When_CostIsAskedFor()
    {
        // arrange
        using var engine = new GatewayEngine(CostedSupergraph, fixture.Options());

        // act: estimate 2 x (Product 1 + reviews: default 10 x Review 1) = 22
        var result = await engine.ExecuteAsync(new GatewayRequest("{ topProducts(first: 2) { name reviews { body } } }", null, null, IncludeCost: true));

        // assert: actual counts the objects answered, one per product and per review
        var products = result.Body["data"]!["topProducts"]!.AsArray();
        var reviews = products.Sum(p => p!["reviews"]!.AsArray().Count);
        var cost = result.Body["extensions"]!["cost"]!;
        Assert.Equal(22, cost["estimated"]!.GetValue<double>());
        Assert.Equal(products.Count + reviews, cost["actual"]!.GetValue<double>());
        Assert.Equal("COST_OK", cost["result"]!.GetValue<string>());
    }

    [Fact]
    public async Task Execute_Should_ReportNoCost_When_NotAskedFor()
    {
        // arrange
        using var engine = new GatewayEngine(CostedSupergraph, fixture.Options());

        // act
        var result = await engine.ExecuteAsync(new GatewayRequest("{ topProducts(first: 2) { name } }", null, null));

        // assert
        Assert.Null(result.Body["extensions"]);
    }

    [Fact]
    public async Task Execute_Should_RefuseWithClearError_When_RequiredSlicingArgumentIsMissing()
    {
        // arrange
        using var engine = new GatewayEngine(CostEstimatorTests.RequireOneSupergraph, new GatewayOptions { HandlerFactory = _ => new CountingHandler(() => { }) });

        // act
        var result = await engine.ExecuteAsync(new GatewayRequest("{ items { id } }", null, null));

        // assert
        Assert.Equal(400, result.StatusCode);
        Assert.Equal("COST_QUERY_PARSE_FAILURE", result.Body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Execute_Should_Answer_When_DemandControlIsDisabled()
    {
        // arrange
        var options = fixture.Options();
        options.DemandControl.Enabled = false;
        options.DemandControl.MaxCost = 1;
        using var engine = new GatewayEngine(CostedSupergraph, options);

        // act
        var result = await engine.ExecuteAsync(new GatewayRequest("{ topProducts(first: 3) { upc } }", null, null, IncludeCost: true));

        // assert
        Assert.Equal(3, result.Body["data"]!["topProducts"]!.AsArray().Count);
        Assert.Null(result.Body["extensions"]);
    }

    private sealed class CountingHandler(Action onSend) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            onSend();
            throw new InvalidOperationException("No subgraph may be called.");
        }
    }
}
