using Federation.Gateway.Tests.Fixtures;

namespace Federation.Gateway.Tests.Pipeline;

/// <summary>
/// Which answers the engine marks as a GraphQL request refused before execution: those GraphQL over HTTP answers 400 or
/// 200 by media type, where every other status stays as the engine set it.
/// </summary>
[Collection(FixtureData.Collection)]
public sealed class NotExecutedTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    [Theory]
    [InlineData("{ me { name ", null, "GRAPHQL_PARSE_FAILED")]
    [InlineData("{ me { nope } }", null, "GRAPHQL_VALIDATION_FAILED")]
    [InlineData("query A { me { name } } query B { me { id } }", null, "GRAPHQL_VALIDATION_FAILED")]
    [InlineData("query A { me { name } }", "B", "OPERATION_RESOLUTION_FAILURE")]
    [InlineData("{ me { reviews { product { name } } } }", null, "MAX_DEPTH_LIMIT")]
    [InlineData("{ topProducts { reviews { body } } }", null, "COST_ESTIMATED_TOO_EXPENSIVE")]
    public async Task Execute_Should_MarkNotExecuted_When_RequestIsRefusedBeforeExecution(string query, string? operationName, string code)
    {
        // arrange
        using var engine = Engine();

        // act
        var result = await engine.ExecuteAsync(new GatewayRequest(query, operationName, null));

        // assert
        Assert.Equal(400, result.StatusCode);
        Assert.Equal(code, result.Body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
        Assert.True(result.NotExecuted);
    }

    [Theory]
    [InlineData("", 400, "BAD_REQUEST")]
    [InlineData("{ me { name } }", 200, null)]
    public async Task Execute_Should_NotMarkNotExecuted_When_RequestIsNoGraphQLRequestOrRan(string query, int status, string? code)
    {
        // arrange
        using var engine = Engine();

        // act
        var result = await engine.ExecuteAsync(new GatewayRequest(query, null, null));

        // assert
        Assert.Equal(status, result.StatusCode);
        Assert.Equal(code, result.Body["errors"]?[0]?["extensions"]?["code"]?.GetValue<string>());
        Assert.False(result.NotExecuted);
    }

    private GatewayEngine Engine()
    {
        var options = fixture.Options();
        options.MaxDepth = 3;
        options.DemandControl.MaxCost = 20;
        return new GatewayEngine(fixture.SupergraphSdl, options);
    }
}
