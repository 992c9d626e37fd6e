using Federation.Testing.Subgraphs;

namespace Alerting.Tests;

public sealed class SchemaTests
{
    [Fact]
    public async Task SchemaPrint_Should_MatchSnapshot_When_PrintedFromBuiltCode()
    {
        // act
        var sdl = await SubgraphProcess.PrintSchemaAsync("Alerting");

        // assert
        sdl.MatchSnapshot();
    }

    [Fact]
    public async Task SchemaPrint_Should_DeclareAnAdminOnlyAlertEntity_When_PrintedWithoutDatabase()
    {
        // act
        var sdl = await SubgraphProcess.PrintSchemaAsync("Alerting");

        // assert
        Assert.Contains("type Alert @requiresScopes(scopes: [[\"admin\"]]) @key(fields: \"id\")", sdl);
        Assert.Contains("acknowledgeAlert(id: ID!): AcknowledgeAlertPayload! @requiresScopes(scopes: [[\"admin\"]])", sdl);
        Assert.Contains("union _Entity = Alert", sdl);
    }
}
