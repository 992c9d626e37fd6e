using System.Text.Json.Nodes;
using Federation.Gateway.Tests.Fixtures;
using Snapshooter.Xunit;

namespace Federation.Gateway.Tests.Execution;

public sealed class EndToEndTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task Query_Should_MergeThreeSubgraphs_When_ReviewsAndAuthorsAreSelected()
    {
        // arrange
        const string query = """
            query Top($first: Int) {
              topProducts(first: $first) {
                upc
                name
                reviews { body author { name email } }
              }
            }
            """;

        // act
        var response = await fixture.ExecuteAsync(query, new JsonObject { ["first"] = 3 });

        // assert
        response.ToSnapshot().MatchSnapshot();
    }

    [Fact]
    public async Task Query_Should_ShapeAliasesFragmentsAndTypename_When_OperationUsesThem()
    {
        // arrange
        const string query = """
            query {
              p: product(upc: "2") {
                __typename
                title: name
                ...Stock
                ... on Product { price upc }
                again: name
              }
              kind: __typename
            }
            fragment Stock on Product { inStock weight }
            """;

        // act
        var response = await fixture.ExecuteAsync(query);

        // assert
        Assert.Equal(
            """{"data":{"p":{"__typename":"Product","title":"Couch","inStock":false,"weight":1000,"price":1299,"upc":"2","again":"Couch"},"kind":"Query"}}""",
            response.ToJsonString());
    }

    [Fact]
    public async Task Query_Should_ResolveUnionMembersByTypename_When_SearchReturnsMixedTypes()
    {
        // arrange
        const string query = """
            { search(term: "t") { __typename ... on Product { name inStock } ... on Category { id name } } }
            """;

        // act
        var response = await fixture.ExecuteAsync(query);

        // assert
        response.ToSnapshot().MatchSnapshot();
    }

    [Fact]
    public async Task Query_Should_SendRequiredFields_When_ShippingEstimateIsSelected()
    {
        // act
        var response = await fixture.ExecuteAsync("{ topProducts(first: 4) { upc shippingEstimate } }");

        // assert
        Assert.Equal(
            """{"data":{"topProducts":[{"upc":"1","shippingEstimate":50},{"upc":"2","shippingEstimate":0},{"upc":"3","shippingEstimate":25},{"upc":"4","shippingEstimate":1}]}}""",
            response.ToJsonString());
    }

    [Fact]
    public async Task Query_Should_SendOneDeduplicatedEntityBatch_When_AuthorsRepeat()
    {
        // arrange
        var accounts = fixture.Subgraphs["accounts"];
        accounts.Queries.Clear();

        // act
        var response = await fixture.ExecuteAsync("{ latestReviews { id author { email } } }");

        // assert
        var emails = response["data"]!["latestReviews"]!.AsArray().Select(r => r!["author"]!["email"]!.GetValue<string>());
        Assert.Equal(["ada@example.com", "alan@example.com", "ada@example.com", "alan@example.com"], emails);
        Assert.Single(accounts.Queries);
    }

    [Fact]
    public async Task Query_Should_ApplySkipAndInclude_When_VariablesDecide()
    {
        // arrange
        const string query = """
            query ($withName: Boolean!, $skipPrice: Boolean!) {
              product(upc: "1") { upc name @include(if: $withName) price @skip(if: $skipPrice) }
            }
            """;

        // act
        var shown = await fixture.ExecuteAsync(query, new JsonObject { ["withName"] = true, ["skipPrice"] = false });
        var hidden = await fixture.ExecuteAsync(query, new JsonObject { ["withName"] = false, ["skipPrice"] = true });

        // assert
        Assert.Equal("""{"data":{"product":{"upc":"1","name":"Table","price":899}}}""", shown.ToJsonString());
        Assert.Equal("""{"data":{"product":{"upc":"1"}}}""", hidden.ToJsonString());
    }

    [Fact]
    public async Task Query_Should_ReturnQueryPlan_When_PlanIsRequested()
    {
        // act
        var result = await fixture.Engine.ExecuteAsync(new GatewayRequest("{ me { name reviews { body } } }", null, null, IncludePlan: true));

        // assert
        var fetches = result.Body["extensions"]!["queryPlan"]!["fetches"]!.AsArray();
        Assert.Equal(["accounts", "reviews"], fetches.Select(f => f!["service"]!.GetValue<string>()));
    }
}
