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

    [Fact]
    public async Task Execute_Should_RefuseInLinearTime_When_FragmentsDoubleAtEveryLevel()
    {
        // arrange
        using var engine = new GatewayEngine(fixture.SupergraphSdl, fixture.Options());
        var clock = System.Diagnostics.Stopwatch.StartNew();

        // act
        var result = await engine.ExecuteAsync(new GatewayRequest(AbusiveDocuments.DoublingFragments(40), null, null));

        // assert
        Assert.Equal(400, result.StatusCode);
        Assert.Equal(
            """{"errors":[{"message":"The operation selects more than 1,099,511,627,776 fields once its fragments are expanded; the limit is 5000.","extensions":{"code":"MAX_FIELDS_LIMIT"}}]}""",
            result.Body.ToJsonString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"{clock.Elapsed.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task Execute_Should_CountAliasesPerUseOfEachFragment_When_FragmentsAreSpreadSeveralTimes()
    {
        // arrange
        using var engine = Engine(maxAliases: 10);
        const string query = "{ ...A } fragment A on Query { ...B ...B } fragment B on Query { ...C ...C } fragment C on Query { a: __typename b: __typename c: __typename d: __typename }";

        // act
        var result = await engine.ExecuteAsync(new GatewayRequest(query, null, null));

        // assert
        Assert.Equal(
            """{"errors":[{"message":"The operation uses 16 aliases; the limit is 10.","extensions":{"code":"MAX_ALIASES_LIMIT"}}]}""",
            result.Body.ToJsonString());
    }

    [Theory]
    [InlineData(3, "Maximum introspection depth exceeded: fields, inputFields, interfaces and possibleTypes are nested 3 deep; the limit is 2.")]
    [InlineData(8, "Maximum introspection depth exceeded: fields, inputFields, interfaces and possibleTypes are nested 8 deep; the limit is 2.")]
    public async Task Execute_Should_RefuseIntrospection_When_ListFieldsNestDeeperThanTheLimit(int levels, string message)
    {
        // arrange
        using var engine = new GatewayEngine(fixture.SupergraphSdl, fixture.Options());

        // act
        var result = await engine.ExecuteAsync(new GatewayRequest(AbusiveDocuments.IntrospectionFanOut(levels), null, null));

        // assert
        Assert.Equal(400, result.StatusCode);
        Assert.Equal(message, result.Body["errors"]![0]!["message"]!.GetValue<string>());
        Assert.Equal("MAX_INTROSPECTION_DEPTH_LIMIT", result.Body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Execute_Should_RefuseIntrospection_When_OfTypeChainIsLongerThan16()
    {
        // arrange
        using var engine = new GatewayEngine(fixture.SupergraphSdl, fixture.Options());
        var query = "{ __type(name: \"Query\") { " + string.Concat(Enumerable.Repeat("ofType { ", 17)) + "name" + new string('}', 18) + " }";

        // act
        var result = await engine.ExecuteAsync(new GatewayRequest(query, null, null));

        // assert
        Assert.Equal("Maximum introspection depth exceeded: ofType is nested 17 deep; the limit is 16.", result.Body["errors"]![0]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Execute_Should_AnswerIntrospection_When_ListFieldsNestTwoDeep()
    {
        // arrange
        using var engine = new GatewayEngine(fixture.SupergraphSdl, fixture.Options());

        // act
        var result = await engine.ExecuteAsync(new GatewayRequest(AbusiveDocuments.IntrospectionFanOut(2), null, null));

        // assert
        Assert.Equal(200, result.StatusCode);
        Assert.Null(result.Body["errors"]);
    }

    private GatewayEngine Engine(int maxDepth = 0, int maxAliases = 0)
    {
        var options = fixture.Options();
        options.MaxDepth = maxDepth;
        options.MaxAliases = maxAliases;
        return new GatewayEngine(fixture.SupergraphSdl, options);
    }
}
