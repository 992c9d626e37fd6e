using Federation.Testing.Subgraphs;

namespace Orders.Tests;

public sealed class SchemaTests
{
    [Fact]
    public async Task SchemaPrint_Should_MatchSnapshot_When_PrintedFromBuiltCode()
    {
        // act
        var sdl = await SubgraphProcess.PrintSchemaAsync("Orders");

        // assert
        sdl.MatchSnapshot();
    }

    [Fact]
    public async Task SchemaPrint_Should_DeclareEntityKeys_When_PrintedWithoutDatabase()
    {
        // act
        var sdl = await SubgraphProcess.PrintSchemaAsync("Orders");

        // assert
        Assert.Contains("type Order @authenticated @key(fields: \"id\")", sdl);
        Assert.Contains("type User @key(fields: \"id\")", sdl);
        Assert.Contains("type Product @key(fields: \"id\", resolvable: false)", sdl);
        Assert.Contains("union _Entity = Order | User", sdl);
    }
}
