using Federation.Testing.Subgraphs;

namespace Catalog.Tests;

public sealed class SchemaTests
{
    [Fact]
    public async Task SchemaPrint_Should_MatchSnapshot_When_PrintedFromBuiltCode()
    {
        // act
        var sdl = await SubgraphProcess.PrintSchemaAsync("Catalog");

        // assert
        sdl.MatchSnapshot();
    }

    [Fact]
    public async Task SchemaPrint_Should_DeclareEntityKeys_When_PrintedWithoutDatabase()
    {
        // act
        var sdl = await SubgraphProcess.PrintSchemaAsync("Catalog");

        // assert
        Assert.Contains("type Product @key(fields: \"id\")", sdl);
        Assert.Contains("type Category @key(fields: \"id\")", sdl);
        Assert.Contains("_entities(representations: [_Any!]!): [_Entity]!", sdl);
    }
}
