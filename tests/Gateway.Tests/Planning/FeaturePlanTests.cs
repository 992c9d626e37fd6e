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

    [Theory]
    [InlineData("{ leftBox { panel { entries { __typename ... on LeftOnly { left } ... on RightOnly { right } } } } }", new[] { "Note" }, new[] { "LeftOnly", "RightOnly" })]
    [InlineData("{ shared { panel { entries { __typename ... on Note { text } ... on LeftOnly { left } } } } }", new[] { "Note" }, new[] { "LeftOnly", "RightOnly" })]
    [InlineData("{ leftBox { rightPanel { entries { ... on Note { text } ... on RightOnly { right } } } } }", new[] { "Note", "RightOnly" }, new[] { "LeftOnly" })]
    public void Plan_Should_KeepOnlyMembersEveryCandidateKnows_When_UnionSitsBelowShareablePath(string query, string[] kept, string[] dropped)
    {
        // arrange
        var sdl = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Planning", "partial-union", "supergraph.graphql"));
        using var engine = new GatewayEngine(sdl);

        // act
        var operations = string.Join('\n', engine.Plan(query).Fetches.Select(f => f.Operation));

        // assert
        Assert.All(kept.Where(t => query.Contains("on " + t, StringComparison.Ordinal)), t => Assert.Contains("on " + t, operations, StringComparison.Ordinal));
        Assert.All(dropped, t => Assert.DoesNotContain("on " + t, operations, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{ node(id: \"p1\") { id } }")]
    [InlineData("{ a: node(id: \"p1\") { id ... on Thread { id } } }")]
    public void Plan_Should_Fail_When_NoSubgraphResolvesKeyFieldOfEveryImplementation(string query)
    {
        // arrange
        var sdl = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Planning", "external-key", "supergraph.graphql"));
        using var engine = new GatewayEngine(sdl);

        // act
        var error = Record.Exception(() => engine.Plan(query));

        // assert
        Assert.IsType<PlanningException>(error);
    }

    [Theory]
    [InlineData("{ a: node(id: \"p1\") { ... on Thread { id } } b: node(id: \"t1\") { ... on Profile { id } } }", 2)]
    [InlineData("{ thread(id: \"t1\") { id title owner { id handle } } }", 2)]
    [InlineData("{ profile(id: \"p1\") { id threads { id title } } }", 2)]
    public void Plan_Should_TakeKeyFromSubgraphThatOwnsIt_When_OtherSubgraphMarksKeyExternal(string query, int fetches)
    {
        // arrange
        var sdl = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Planning", "external-key", "supergraph.graphql"));
        using var engine = new GatewayEngine(sdl);

        // act
        var plan = engine.Plan(query);

        // assert
        Assert.Equal(fetches, plan.Fetches.Count);
    }
}
