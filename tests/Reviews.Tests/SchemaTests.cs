using Federation.Testing.Subgraphs;

namespace Reviews.Tests;

public sealed class SchemaTests
{
    [Fact]
    public async Task SchemaPrint_Should_MatchSnapshot_When_PrintedFromBuiltCode()
    {
        // act
        var sdl = await SubgraphProcess.PrintSchemaAsync("Reviews");

        // assert
        sdl.MatchSnapshot();
    }

    [Fact]
    public async Task SchemaPrint_Should_DeclareEntityKeys_When_PrintedWithoutDatabase()
    {
        // act
        var sdl = await SubgraphProcess.PrintSchemaAsync("Reviews");

        // assert
        Assert.Contains("type Review @key(fields: \"id\")", sdl);
        Assert.Contains("type User @key(fields: \"id\")", sdl);
        Assert.Contains("type Product @key(fields: \"id\")", sdl);
        Assert.Contains("union _Entity = Review | Product | User", sdl);
    }
}
