using Federation.Testing.Subgraphs;

namespace Payments.Tests;

public sealed class SchemaTests
{
    [Fact]
    public async Task SchemaPrint_Should_MatchSnapshot_When_PrintedFromBuiltCode()
    {
        // act
        var sdl = await SubgraphProcess.PrintSchemaAsync("Payments");

        // assert
        sdl.MatchSnapshot();
    }

    [Fact]
    public async Task SchemaPrint_Should_DeclareEntityKeys_When_PrintedWithoutDatabase()
    {
        // act
        var sdl = await SubgraphProcess.PrintSchemaAsync("Payments");

        // assert
        Assert.Contains("type Payment @authenticated @key(fields: \"id\")", sdl);
        Assert.Contains("type Order @key(fields: \"id\")", sdl);
        Assert.Contains("union _Entity = Payment | Order", sdl);
    }
}
