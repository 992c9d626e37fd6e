using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Federation.Gateway.Tests.Fixtures;

namespace Federation.Gateway.Tests.Differential;

/// <summary>
/// Every operation must give byte-identical <c>data</c> and the same error paths from our gateway and from Apollo
/// Gateway on the same supergraph and the same running subgraphs. Error messages and extensions may differ.
/// </summary>
[Collection(FixtureData.Collection)]
public sealed class ApolloOracleTests(ApolloOracleFixture oracle) : IClassFixture<ApolloOracleFixture>
{
    public static TheoryData<string> Operations() =>
    [
        "{ me { id name email } }",
        "{ users { id name reviews { body rating product { upc name } } } }",
        "query ($first: Int) { topProducts(first: $first) { upc name price reviews { body author { name email } } } }",
        "{ topProducts { upc inStock shippingEstimate } }",
        """{ product(upc: "2") { name category { id name } warranty } }""",
        """{ product(upc: "3") { name manual } }""",
        "{ topProducts(first: 4) { upc manual } }",
        "{ topProducts(first: 3) { upc warranty } }",
        """{ search(term: "a") { __typename ... on Product { upc name inStock } ... on Category { id name } } }""",
        """{ a: product(upc: "1") { ...P } b: product(upc: "4") { ...P t: __typename } } fragment P on Product { name weight shippingEstimate }""",
        "{ latestReviews { id body author { id name } product { upc name inStock } } }",
        "query ($skip: Boolean!) { me { name reviews @skip(if: $skip) { body } } }",
        """{ user(id: "u2") { name reviews { product { name reviews { author { name } } } } } }""",
        "{ __typename me { __typename id } }",
        """{ __type(name: "Product") { name kind fields { name type { name kind ofType { name } } } } }""",
        """{ search(term: "e") { ... on Product { ...Stock } ... on Category { __typename } } } fragment Stock on Product { upc inStock weight }""",
        "query ($first: Int = 1) { topProducts(first: $first) { name } }",
        """query ($upc: String!) { product(upc: $upc) { name ... @include(if: false) { price } ... on Product @skip(if: false) { weight } } }""",
        """{ x: topProducts(first: 2) { id: upc title: name } y: topProducts(first: 2) { upc reviews { rating } } }""",
        "{ latestReviews { product { shippingEstimate name } author { email reviews { id } } } }",
        """{ product(upc: "404") { name reviews { body } } }""",
        "{ users { name } restocked me { email } }",
    ];

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Gateway_Should_MatchApolloGateway_When_RunningOperation(string query)
    {
        // arrange
        var variables = new JsonObject { ["first"] = 2, ["skip"] = false, ["upc"] = "3" };

        // act
        var ours = (await oracle.Engine.ExecuteAsync(new GatewayRequest(query, null, (JsonObject)variables.DeepClone()))).Body;
        using var response = await oracle.Apollo.PostAsJsonAsync(string.Empty, new { query, variables });
        var theirs = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

        // assert
        Assert.True(theirs.ContainsKey("data"), theirs.ToJsonString());
        Assert.Equal(theirs["data"]?.ToJsonString(), ours["data"]?.ToJsonString());
        Assert.Equal(ErrorPaths(theirs), ErrorPaths(ours));
    }

    /// <summary>
    /// Deliberate difference: the introspection answer comes from graphql-dotnet, which orders <c>__schema.types</c>
    /// differently (the spec leaves the order open) and declares only @include, @skip and @deprecated. The types
    /// themselves must be the same.
    /// </summary>
    [Fact]
    public async Task Introspection_Should_ListTheSameTypes_When_ComparedWithApolloGateway()
    {
        // arrange
        const string query = "{ __schema { queryType { name } mutationType { name } types { name kind } directives { name } } }";

        // act
        var ours = (await oracle.Engine.ExecuteAsync(new GatewayRequest(query, null, null))).Body["data"]!["__schema"]!;
        using var response = await oracle.Apollo.PostAsJsonAsync(string.Empty, new { query });
        var theirs = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["data"]!["__schema"]!;

        // assert
        Assert.Equal(theirs["queryType"]!.ToJsonString(), ours["queryType"]!.ToJsonString());
        Assert.Equal(theirs["mutationType"]!.ToJsonString(), ours["mutationType"]!.ToJsonString());
        Assert.Equal(Types(theirs), Types(ours));
        Assert.Subset(Names(theirs["directives"]!).ToHashSet(), Names(ours["directives"]!).ToHashSet());
    }

    private static string[] Types(JsonNode schema) =>
        [.. schema["types"]!.AsArray().Select(t => t!["name"]!.GetValue<string>() + ":" + t["kind"]!.GetValue<string>()).Order()];

    private static IEnumerable<string> Names(JsonNode list) => list.AsArray().Select(d => d!["name"]!.GetValue<string>());

    private static string[] ErrorPaths(JsonObject response) =>
        [.. (response["errors"]?.AsArray() ?? []).Select(e => e?["path"]?.ToJsonString() ?? "<none>").Order()];
}
