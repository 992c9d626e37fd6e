using System.Text.Json.Nodes;
using Federation.Gateway.Tests.Fixtures;
using Snapshooter;
using Snapshooter.Xunit;

namespace Federation.Gateway.Tests.Planning;

/// <summary>
/// A selection set that @skip/@include or fragments on other types leave empty is sent to the subgraph as
/// <c>{__typename}</c> (an empty <c>{ }</c> does not parse); the client gets <c>{}</c> for that object.
/// </summary>
public sealed class EmptySelectionPlanTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    public static TheoryData<string, string> Operations() => new()
    {
        { "root", "{ me { name @skip(if: true) } }" },
        { "entity", "{ topProducts(first: 2) { name reviews { body @include(if: false) } } }" },
        { "requires", """{ product(upc: "1") { shippingEstimate reviews { ... on Review @skip(if: true) { body } } } }""" },
        { "untyped-fragment", """{ product(upc: "1") { category { ... @include(if: false) { name } } } }""" },
        { "mutation", """mutation { addProduct(name: "Lamp", price: 20) { upc @skip(if: true) } }""" },
    };

    [Theory]
    [MemberData(nameof(Operations))]
    public void Plan_Should_SendTypenamePlaceholder_When_DirectivesEmptyASelection(string name, string query)
    {
        // act
        var plan = fixture.Engine.Plan(query);

        // assert
        Assert.All(plan.Fetches, f => Assert.DoesNotContain("{}", f.Operation, StringComparison.Ordinal));
        Assert.Contains(plan.Fetches, f => f.Operation.Contains("{__typename}", StringComparison.Ordinal));
        plan.ToJson().ToSnapshot().MatchSnapshot(SnapshotNameExtension.Create(name));
    }

    [Theory]
    [InlineData("{ me { name @skip(if: true) } }", """{"me":{}}""")]
    [InlineData("""{ product(upc: "1") { name reviews { body @include(if: false) } } }""", """{"product":{"name":"Table","reviews":[{},{}]}}""")]
    [InlineData("""{ product(upc: "1") { shippingEstimate reviews { ... on Review @skip(if: true) { body } } } }""", """{"product":{"shippingEstimate":50,"reviews":[{},{}]}}""")]
    public async Task Query_Should_AnswerEmptyObjects_When_DirectivesEmptyASelection(string query, string expected)
    {
        // act
        var result = await fixture.ExecuteAsync(query);

        // assert
        Assert.Null(result["errors"]);
        Assert.Equal(expected, result["data"]!.ToJsonString());
    }

    [Fact]
    public async Task BatchedQuery_Should_AnswerEmptyObjects_When_OneBatchedSelectionIsEmpty()
    {
        // arrange
        var sent = new List<string>();
        var options = fixture.Options();
        var inner = options.HandlerFactory!;
        options.HandlerFactory = name => name == "reviews" ? new Capture(inner(name), sent) : inner(name);
        options.BatchEntityFetches = true;
        using var engine = new GatewayEngine(fixture.SupergraphSdl, options);

        // act
        var result = await engine.ExecuteAsync(new GatewayRequest(
            """{ topProducts(first: 2) { reviews { body @skip(if: true) } } product(upc: "1") { manual } }""", null, null));

        // assert
        var request = Assert.Single(sent);
        Assert.Contains("_0: _entities(representations: $representations0)", request, StringComparison.Ordinal);
        Assert.Contains("reviews {__typename}", request, StringComparison.Ordinal);
        Assert.Null(result.Body["errors"]);
        Assert.Equal("""{"topProducts":[{"reviews":[{},{}]},{"reviews":[{}]}],"product":{"manual":"manual-1"}}""", result.Body["data"]!.ToJsonString());
    }

    private sealed class Capture(HttpMessageHandler inner, List<string> sent) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = JsonNode.Parse(await request.Content!.ReadAsStringAsync(cancellationToken))!;
            lock (sent)
            {
                sent.Add(body["query"]!.GetValue<string>());
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
