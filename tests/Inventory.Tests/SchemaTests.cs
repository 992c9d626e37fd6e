using Federation.Testing.Subgraphs;

namespace Inventory.Tests;

public sealed class SchemaTests
{
    [Fact]
    public async Task SchemaPrint_Should_MatchSnapshot_When_PrintedFromBuiltCode()
    {
        // act
        var sdl = await SubgraphProcess.PrintSchemaAsync("Inventory");

        // assert
        sdl.MatchSnapshot();
    }

    [Fact]
    public async Task SchemaPrint_Should_ExtendProductWithStockOnly_When_PrintedWithoutDatabase()
    {
        // act
        var sdl = await SubgraphProcess.PrintSchemaAsync("Inventory");

        // assert
        var product = sdl[sdl.IndexOf("type Product @key(fields: \"id\")", StringComparison.Ordinal)..];
        product = product[..(product.IndexOf('}', StringComparison.Ordinal) + 1)];
        Assert.Contains("id: ID!", product);
        Assert.Contains("stock: Stock", product);
        Assert.DoesNotContain("name:", product);
        Assert.Contains("union _Entity = Product", sdl);
    }
}
