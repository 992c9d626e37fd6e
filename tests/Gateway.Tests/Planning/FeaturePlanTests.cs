using Federation.Gateway.Planning;
using Federation.Gateway.Tests.Fixtures;
using Snapshooter;
using Snapshooter.Xunit;

namespace Federation.Gateway.Tests.Planning;

/// <summary>Plans over fixture supergraphs for federation features the fixture shop does not use.</summary>
public sealed class FeaturePlanTests
{
    [Theory]
    [InlineData("interface-object", "ConcreteTypeFieldFromInterfaceObject", "{ media { title rating } }")]
    [InlineData("interface-object", "InterfaceLevelFields", "{ topRated { id rating } }")]
    [InlineData("interface-object", "ConcreteTypeResolvedByInterfaceOwner", "{ topRated { title ... on Book { author } } }")]
    [InlineData("keys-override", "OverriddenFieldThroughSecondKey", "{ users { name plan } }")]
    [InlineData("keys-override", "CompoundKey", "{ users { seats { role } } }")]
    [InlineData("union-provides", "UnionMembersFromTwoSubgraphs", "{ items { ... on Book { title price } ... on Gadget { name price } } }")]
    [InlineData("union-provides", "ProvidedFieldStaysInOneFetch", "{ featured { title price } }")]
    public void Plan_Should_MatchSnapshot_When_SupergraphUsesFeature(string supergraph, string name, string query)
    {
        // arrange
        var sdl = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Planning", supergraph, "supergraph.graphql"));
        using var engine = new GatewayEngine(sdl);

        // act
        var plan = engine.Plan(query);

        // assert
        plan.ToJson().ToSnapshot().MatchSnapshot(SnapshotNameExtension.Create(supergraph, name));
    }

    [Fact]
    public void Plan_Should_AskOverridingSubgraph_When_FieldIsOverridden()
    {
        // arrange
        var sdl = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Planning", "keys-override", "supergraph.graphql"));
        using var engine = new GatewayEngine(sdl);

        // act
        QueryPlan plan = engine.Plan("{ users { plan } }");

        // assert
        Assert.Equal(["users", "billing"], plan.Fetches.Select(f => f.ServiceName));
        Assert.DoesNotContain("plan", plan.Fetches[0].Operation, StringComparison.Ordinal);
    }
}
