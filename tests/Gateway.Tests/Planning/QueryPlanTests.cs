using Federation.Gateway.Tests.Fixtures;
using Snapshooter.Xunit;

namespace Federation.Gateway.Tests.Planning;

public sealed class QueryPlanTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    [Fact]
    public void Plan_Should_GroupRootFieldsBySubgraph_When_FieldsComeFromSeveralSubgraphs()
    {
        // act
        var plan = fixture.Engine.Plan("{ me { name } users { id } topProducts { name } restocked }");

        // assert
        Assert.Equal(3, plan.Fetches.Count);
        Assert.All(plan.Fetches, f => Assert.Empty(f.DependsOn));
        plan.ToJson().ToSnapshot().MatchSnapshot();
    }

    [Fact]
    public void Plan_Should_ChainEntityFetches_When_SelectionCrossesThreeSubgraphs()
    {
        // act
        var plan = fixture.Engine.Plan("""
            query Top($first: Int) {
              topProducts(first: $first) {
                name
                reviews { body author { name email } }
              }
            }
            """);

        // assert
        plan.ToJson().ToSnapshot().MatchSnapshot();
    }

    [Fact]
    public void Plan_Should_FetchRequiredFieldsFirst_When_FieldHasRequires()
    {
        // act
        var plan = fixture.Engine.Plan("{ product(upc: \"1\") { shippingEstimate } }");

        // assert
        var inventory = Assert.Single(plan.Fetches, f => f.ServiceName == "inventory");
        Assert.Contains("price", plan.Fetches.Single(f => f.ServiceName == "products").Operation, StringComparison.Ordinal);
        Assert.Equal(2, inventory.Representations["Product"].FieldSets.Count);
        plan.ToJson().ToSnapshot().MatchSnapshot();
    }

    [Fact]
    public void Plan_Should_StayInReviews_When_FieldIsProvided()
    {
        // act
        var provided = fixture.Engine.Plan("{ latestReviews { author { name } } }");
        var notProvided = fixture.Engine.Plan("{ latestReviews { author { email } } }");

        // assert
        Assert.Single(provided.Fetches);
        Assert.Equal(["reviews", "accounts"], notProvided.Fetches.Select(f => f.ServiceName));
    }

    [Fact]
    public void Plan_Should_SplitAbstractSelectionsPerType_When_QueryingUnion()
    {
        // act
        var plan = fixture.Engine.Plan("""
            { search(term: "a") { __typename ... on Product { name inStock } ... on Category { name } } }
            """);

        // assert
        plan.ToJson().ToSnapshot().MatchSnapshot();
    }

    [Fact]
    public void Plan_Should_RunMutationFieldsInSequence_When_MutationTouchesTwoSubgraphs()
    {
        // act
        var plan = fixture.Engine.Plan("""
            mutation {
              first: addProduct(name: "Lamp", price: 20) { upc }
              restock(upc: "2")
              second: addProduct(name: "Rug", price: 80) { upc inStock }
            }
            """);

        // assert
        Assert.Equal([0, 1, 2, 2], plan.Fetches.Select(f => f.Sequence));
        plan.ToJson().ToSnapshot().MatchSnapshot();
    }

    [Fact]
    public void Plan_Should_DropSkippedFields_When_SkipAndIncludeUseVariables()
    {
        // act
        var withReviews = fixture.Engine.Plan(
            "query ($r: Boolean!) { topProducts { name reviews @include(if: $r) { body } } }",
            variables: new() { ["r"] = true });
        var withoutReviews = fixture.Engine.Plan(
            "query ($r: Boolean!) { topProducts { name reviews @include(if: $r) { body } } }",
            variables: new() { ["r"] = false });

        // assert
        Assert.Equal(2, withReviews.Fetches.Count);
        Assert.Single(withoutReviews.Fetches);
    }
}
