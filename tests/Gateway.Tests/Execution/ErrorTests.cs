using System.Text.Json.Nodes;
using Federation.Gateway.Tests.Fixtures;
using Snapshooter.Xunit;

namespace Federation.Gateway.Tests.Execution;

public sealed class ErrorTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task Query_Should_RePathSubgraphError_When_EntityFieldFails()
    {
        // act
        var response = await fixture.ExecuteAsync("{ topProducts(first: 3) { upc warranty } }");

        // assert
        response.ToSnapshot().MatchSnapshot();
    }

    [Fact]
    public async Task Query_Should_NullNearestNullableParent_When_NonNullFieldIsMissing()
    {
        // act
        var response = await fixture.ExecuteAsync("""{ product(upc: "3") { name manual } other: product(upc: "1") { name manual } }""");

        // assert
        Assert.Null(response["data"]!["product"]);
        Assert.Equal("manual-1", response["data"]!["other"]!["manual"]!.GetValue<string>());
        Assert.Equal("""["product","manual"]""", response["errors"]![0]!["path"]!.ToJsonString());
        Assert.Equal("reviews", response["errors"]![0]!["extensions"]!["serviceName"]!.GetValue<string>());
    }

    [Fact]
    public async Task Query_Should_NullWholeData_When_NonNullRootListLosesAnItem()
    {
        // act
        var response = await fixture.ExecuteAsync("{ topProducts(first: 4) { upc manual } }");

        // assert
        Assert.Null(response["data"]);
        Assert.Equal("""["topProducts",2,"manual"]""", response["errors"]![0]!["path"]!.ToJsonString());
    }

    [Fact]
    public async Task Request_Should_StillCheckVariables_When_QueryTextValidatedBefore()
    {
        // arrange
        const string query = "query ($upc: String!) { product(upc: $upc) { name } }";
        var first = await fixture.Engine.ExecuteAsync(new GatewayRequest(query, null, new JsonObject { ["upc"] = "1" }));

        // act
        var missing = await fixture.Engine.ExecuteAsync(new GatewayRequest(query, null, null));
        var wrongType = await fixture.Engine.ExecuteAsync(new GatewayRequest(query, null, new JsonObject { ["upc"] = new JsonArray() }));

        // assert
        Assert.Equal(200, first.StatusCode);
        Assert.Equal(400, missing.StatusCode);
        Assert.Equal("BAD_USER_INPUT", missing.Body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
        Assert.Equal(400, wrongType.StatusCode);
        Assert.Equal("BAD_USER_INPUT", wrongType.Body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("{ topProducts { ", "GRAPHQL_PARSE_FAILED")]
    [InlineData("{ topProducts { nope } }", "GRAPHQL_VALIDATION_FAILED")]
    [InlineData("{ topProducts { internalCode } }", "GRAPHQL_VALIDATION_FAILED")]
    [InlineData("query ($upc: String!) { product(upc: $upc) { name } }", "BAD_USER_INPUT")]
    [InlineData("", "BAD_REQUEST")]
    [InlineData("query A { me { id } } query B { me { id } }", "GRAPHQL_VALIDATION_FAILED")]
    public async Task Request_Should_Return400WithCode_When_OperationIsInvalid(string query, string code)
    {
        // act
        var result = await fixture.Engine.ExecuteAsync(new GatewayRequest(query, null, null));

        // assert
        Assert.Equal(400, result.StatusCode);
        Assert.Null(result.Body["data"]);
        Assert.Equal(code, result.Body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Request_Should_Return400_When_VariableHasWrongType()
    {
        // act
        var result = await fixture.Engine.ExecuteAsync(new GatewayRequest(
            "query ($first: Int) { topProducts(first: $first) { upc } }",
            null,
            new JsonObject { ["first"] = "many" }));

        // assert
        Assert.Equal(400, result.StatusCode);
        Assert.Equal("BAD_USER_INPUT", result.Body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
    }
}

public sealed class SubgraphDownTests : IDisposable
{
    private readonly GatewayFixture _fixture = new();

    [Fact]
    public async Task Query_Should_ReturnOtherSubgraphsData_When_OneSubgraphIsDown()
    {
        // arrange
        _fixture.Subgraphs["reviews"].Down = true;

        // act
        var response = await _fixture.ExecuteAsync("""{ product(upc: "1") { name warranty } me { name } }""");

        // assert
        Assert.Equal("""{"name":"Table","warranty":null}""", response["data"]!["product"]!.ToJsonString());
        Assert.Equal("Ada Lovelace", response["data"]!["me"]!["name"]!.GetValue<string>());
        var error = Assert.Single(response["errors"]!.AsArray())!;
        Assert.Equal("""["product"]""", error["path"]!.ToJsonString());
        Assert.Equal("DOWNSTREAM_SERVICE_ERROR", error["extensions"]!["code"]!.GetValue<string>());
        Assert.Equal("reviews", error["extensions"]!["serviceName"]!.GetValue<string>());
    }

    [Fact]
    public async Task Query_Should_ReportRootFieldError_When_RootSubgraphIsDown()
    {
        // arrange
        _fixture.Subgraphs["accounts"].Down = true;

        // act
        var response = await _fixture.ExecuteAsync("{ me { name } restocked }");

        // assert
        Assert.Null(response["data"]!["me"]);
        Assert.NotNull(response["data"]!["restocked"]);
        Assert.Equal("accounts", response["errors"]![0]!["extensions"]!["serviceName"]!.GetValue<string>());
    }

    [Fact]
    public async Task Query_Should_RetryOnce_When_SubgraphFailsTransiently()
    {
        // arrange
        _fixture.Subgraphs["accounts"].TransientFailures = 1;

        // act
        var response = await _fixture.ExecuteAsync("{ me { name } }");

        // assert
        Assert.Equal("""{"data":{"me":{"name":"Ada Lovelace"}}}""", response.ToJsonString());
    }

    [Fact]
    public async Task Mutation_Should_NotRetryRootField_When_SubgraphFailsTransiently()
    {
        // arrange
        _fixture.Subgraphs["inventory"].TransientFailures = 1;

        // act
        var response = await _fixture.ExecuteAsync("""mutation { restock(upc: "1") }""");

        // assert
        Assert.Null(response["data"]);
        Assert.Equal("inventory", response["errors"]![0]!["extensions"]!["serviceName"]!.GetValue<string>());
    }

    public void Dispose() => _fixture.Dispose();
}
