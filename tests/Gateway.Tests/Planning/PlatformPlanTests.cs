using Federation.Gateway.Tests.Fixtures;

namespace Federation.Gateway.Tests.Planning;

/// <summary>The committed supergraph's <c>Query.platform</c>: every subgraph answers for itself.</summary>
public sealed class PlatformPlanTests
{
    private static readonly string[] Subgraphs = ["accounts", "alerting", "catalog", "inventory", "notifications", "orders", "payments", "reviews"];

    [Fact]
    public void Plan_Should_AskEverySubgraphAboutItselfInParallel_When_PlatformSelectsAllSubgraphs()
    {
        // arrange
        using var engine = new GatewayEngine(Repository.SupergraphSdl, new GatewayOptions());
        var selection = string.Join(' ', Subgraphs.Select(name => $"{name} {{ status messaging {{ totalLag }} }}"));

        // act
        var plan = engine.Plan($"query ServiceHealth {{ platform {{ {selection} }} }}");

        // assert
        Assert.Equal(Subgraphs, plan.Fetches.Select(f => f.ServiceName).Order(StringComparer.Ordinal));
        Assert.All(plan.Fetches, f => Assert.Empty(f.DependsOn));
        Assert.All(plan.Fetches, f => Assert.Contains($"{{platform{{{f.ServiceName}{{", string.Concat(f.Operation.Where(c => !char.IsWhiteSpace(c))), StringComparison.Ordinal));
    }
}
