using System.Text.Json.Nodes;
using Federation.Gateway.Tests.Fixtures;

namespace Federation.Gateway.Tests.Validation;

/// <summary>Depth and alias limits reject an operation with a clear 400 before any subgraph is called.</summary>
[Collection(FixtureData.Collection)]
public sealed class OperationLimitsTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task Execute_Should_RejectWithDepthError_When_OperationIsDeeperThanLimit()
    {
        // arrange
        using var engine = Engine(maxDepth: 3);

        // act
        var result = await engine.ExecuteAsync(new GatewayRequest("{ me { reviews { product { name } } } }", null, null));

        // assert
        Assert.Equal(400, result.StatusCode);
        Assert.Equal(
            """{"errors":[{"message":"The operation is 4 fields deep; the limit is 3.","extensions":{"code":"MAX_DEPTH_LIMIT"}}]}""",
            result.Body.ToJsonString());
    }

    [Fact]
    public async Task Execute_Should_CountDepthThroughFragments_When_FragmentsNest()
    {
        // arrange
        using var engine = Engine(maxDepth: 3);
        const string query = "{ me { ...R } } fragment R on User { reviews { ... on Review { product { ...P } } } } fragment P on Product { name }";

        // act
        var result = await engine.ExecuteAsync(new GatewayRequest(query, null, null));

        // assert
        Assert.Equal("MAX_DEPTH_LIMIT", result.Body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Execute_Should_Answer_When_OperationIsExactlyAtTheLimits()
    {
        // arrange
        using var engine = Engine(maxDepth: 3, maxAliases: 2);

        // act
        var result = await engine.ExecuteAsync(new GatewayRequest("{ a: me { b: reviews { body } } }", null, null));

        // assert
        Assert.Equal(200, result.StatusCode);
        Assert.Null(result.Body["errors"]);
    }

    [Fact]
    public async Task Execute_Should_RejectWithAliasError_When_OperationUsesTooManyAliases()
    {
        // arrange
        using var engine = Engine(maxAliases: 2);

        // act
        var result = await engine.ExecuteAsync(new GatewayRequest("{ a: me { name } b: me { name } c: me { name } }", null, null));

        // assert
        Assert.Equal(400, result.StatusCode);
        Assert.Equal("The operation uses 3 aliases; the limit is 2.", result.Body["errors"]![0]!["message"]!.GetValue<string>());
        Assert.Equal("MAX_ALIASES_LIMIT", result.Body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Execute_Should_IgnoreIntrospectionDepth_When_ClientLoadsSchema()
    {
        // arrange
        using var engine = Engine(maxDepth: 2);
        const string query = "{ __schema { types { fields { type { ofType { ofType { name } } } } } } }";

        // act
        var result = await engine.ExecuteAsync(new GatewayRequest(query, null, null));

        // assert
        Assert.Equal(200, result.StatusCode);
        Assert.IsType<JsonArray>(result.Body["data"]!["__schema"]!["types"]);
    }

    private GatewayEngine Engine(int maxDepth = 0, int maxAliases = 0)
    {
        var options = fixture.Options();
        options.MaxDepth = maxDepth;
        options.MaxAliases = maxAliases;
        return new GatewayEngine(fixture.SupergraphSdl, options);
    }
}
