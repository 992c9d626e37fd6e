using System.Diagnostics;
using Federation.Gateway.DemandControl;
using Federation.Gateway.Schema;
using Federation.Gateway.Tests.Fixtures;
using GraphQLParser;
using GraphQLParser.AST;

namespace Federation.Gateway.Tests.DemandControl;

/// <summary>
/// The static estimate over the committed supergraph and its <c>@cost</c>/<c>@listSize</c>, each figure worked out by
/// hand in the case's comment (object 1, leaf 0, list x size, totalCount 5, input object 1, mutation 10).
/// </summary>
public sealed class CostEstimatorTests
{
    private static readonly Supergraph Supergraph = Supergraph.Parse(Repository.SupergraphSdl);
    private static readonly CostSchema Costs = CostSchema.Read(Supergraph);

    [Theory]
    // products 1 + nodes 10 x Product 1 + totalCount 5
    [InlineData("{ products(first: 10) { nodes { id name price } totalCount } }", 16)]
    // no first: the connection's assumed size, 20 x (Product 1 + category 1)
    [InlineData("{ products { edges { node { name category { name } } } } }", 1 + (20 * (1 + 1 + 1)))]
    // product 1 + stock 1 + reviews 1 + totalCount 5 + nodes 5 x (Review 1 + user 1)
    [InlineData("""{ product(id: "1") { id name stock { available } reviews(first: 5) { totalCount nodes { body rating user { name } } } } }""", 18)]
    // categories: assumedSize 50 x Category 1
    [InlineData("{ categories { id name } }", 50)]
    // scalars only: free
    [InlineData("{ __typename }", 0)]
    // the payload 1 + order 1 + errors (no @listSize: default 10) x 1; input 1 + lines 2 x line 1 + shippingAddress 1 + payment 1; mutation 10
    [InlineData("""mutation { placeOrder(idempotencyKey: "k", input: { lines: [{ productId: "1", quantity: 2 }, { productId: "2", quantity: 1 }], shippingAddress: { name: "Corpus Tester", line1: "1 SW Main St", city: "Portland", region: "OR", postalCode: "97204", country: "US" }, shippingMethod: STANDARD, payment: { cardNumber: "4242 4242 4242 4242" } }) { order { id } errors { message } } }""", 10 + 12 + 5)]
    // products 1 + 100 x (Product 1 + reviews (1 + 100 x (Review 1 + user (1 + orders (1 + 100 x Order 1)))))
    [InlineData("{ products(first: 100) { nodes { reviews(first: 100) { nodes { user { orders(first: 100) { nodes { id } } } } } } } }", 1_030_201)]
    public void Estimate_Should_MatchHandCheckedCost_When_OperationIsRepresentative(string query, double expected)
    {
        // act
        var cost = Estimate(query);

        // assert
        Assert.Equal(expected, cost);
    }

    [Fact]
    public void Estimate_Should_SizeByVariable_When_FirstIsAVariable()
    {
        // arrange
        const string query = "query($n: Int) { products(first: $n) { nodes { id } } }";

        // act
        var cost = Estimate(query, new Dictionary<string, object?> { ["n"] = 7 });

        // assert
        Assert.Equal(1 + 7, cost);
    }

    [Fact]
    public void Estimate_Should_UseArgumentDefault_When_SlicingArgumentHasOne()
    {
        // arrange: orderStats(minutes: Int = 60) sizes its buckets
        const string query = "{ orderStats { buckets { placed } } }";

        // act
        var cost = Estimate(query);

        // assert
        Assert.Equal(1 + 60, cost);
    }

    [Fact]
    public void Estimate_Should_LeaveOutSkippedFields_When_SkipIsTrue()
    {
        // arrange
        const string query = "query($s: Boolean!) { categories @skip(if: $s) { id } products(first: 1) { nodes { id } } }";

        // act
        var cost = Estimate(query, new Dictionary<string, object?> { ["s"] = true });

        // assert
        Assert.Equal(2, cost);
    }

    [Fact]
    public void Estimate_Should_SizeFragmentFieldsByTheirConnection_When_NodesComeFromAFragment()
    {
        // arrange: the fragment's nodes are sized by each spread's own connection
        const string query = """
            { a: products(first: 2) { ...Page } b: products(first: 30) { ...Page } }
            fragment Page on ProductConnection { nodes { id } }
            """;

        // act
        var cost = Estimate(query);

        // assert
        Assert.Equal((1 + 2) + (1 + 30), cost);
    }

    [Fact]
    public void Estimate_Should_PriceDoublingFragmentsInLinearTime_When_ExpansionIsExponential()
    {
        // arrange: 26 levels, each spreading the next twice: 2^26 copies of a 2-cost selection once expanded
        const int levels = 26;
        var query = AbusiveDocuments.DoublingFragments(levels).Replace(
            $"fragment F{levels} on Query {{ __typename }}",
            $"fragment F{levels} on Query {{ products(first: 1) {{ nodes {{ id }} }} }}",
            StringComparison.Ordinal);
        Estimate("{ __typename }"); // loads the supergraph outside the measured time
        var started = Stopwatch.GetTimestamp();

        // act
        var cost = Estimate(query);

        // assert
        var elapsed = Stopwatch.GetElapsedTime(started);
        Assert.Equal(Math.Pow(2, levels) * 2, cost);
        Assert.True(elapsed < TimeSpan.FromMilliseconds(500), $"took {elapsed.TotalMilliseconds:0} ms");
    }

    [Fact]
    public void Read_Should_CarryTheSubgraphDirectives_When_LoadingTheComposedSupergraph()
    {
        // act
        var products = Costs.Field("Query", "products");
        var categories = Costs.Field("Query", "categories");
        var totalCount = Costs.Field("ProductConnection", "totalCount");
        var buckets = Costs.Field("Query", "orderStats");

        // assert
        Assert.True(Costs.Declared);
        Assert.Equal(20, products!.ListSize!.AssumedSize);
        Assert.Equal(["first"], products.ListSize.SlicingArguments);
        Assert.False(products.ListSize.RequireOneSlicingArgument);
        Assert.Equal(["edges", "nodes"], products.ListSize.SizedFields!.Order());
        Assert.Equal(50, categories!.ListSize!.AssumedSize);
        Assert.Equal(5, totalCount!.Weight);
        Assert.Equal(["buckets"], buckets!.ListSize!.SizedFields!);
    }

    [Fact]
    public void Estimate_Should_Throw_When_RequiredSlicingArgumentIsMissing()
    {
        // arrange: a supergraph whose connection demands exactly one slicing argument
        var supergraph = Supergraph.Parse(RequireOneSupergraph);
        var document = Parser.Parse("{ items { id } }");
        var estimator = new CostEstimator(supergraph, CostSchema.Read(supergraph), document, _ => null, 10);

        // act
        var error = Assert.Throws<CostEstimationException>(() => estimator.Estimate(document.Definitions.OfType<GraphQLOperationDefinition>().Single()));

        // assert
        Assert.Equal("Field 'items' needs exactly one of its slicing arguments (first, last); 0 were given.", error.Message);
    }

    internal const string RequireOneSupergraph = """
        schema @link(url: "https://specs.apollo.dev/link/v1.0") @link(url: "https://specs.apollo.dev/cost/v0.1", import: ["@listSize"]) { query: Query }
        directive @cost(weight: Int!) on FIELD_DEFINITION | OBJECT
        directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION
        type Query { items(first: Int, last: Int): [Item!]! @listSize(slicingArguments: ["first", "last"]) }
        type Item { id: ID! }
        """;

    private static double Estimate(string query, Dictionary<string, object?>? variables = null)
    {
        var document = Parser.Parse(query);
        var operation = document.Definitions.OfType<GraphQLOperationDefinition>().Single();
        return new CostEstimator(Supergraph, Costs, document, name => variables?.GetValueOrDefault(name), 10).Estimate(operation);
    }
}
