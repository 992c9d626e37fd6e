namespace Subgraph.Tests;

/// <summary>The kit prints <c>@cost</c>/<c>@listSize</c> as Federation v2.9 declares them, for composition to carry.</summary>
public sealed class DemandControlDirectivesTests
{
    [Fact]
    public async Task PrintSchema_Should_LinkFederation29AndPrintTheDirectives_When_FieldsDeclareThem()
    {
        // arrange
        await using var subgraph = await KitSubgraph.StartAsync();

        // act
        var sdl = await subgraph.PrintSchemaAsync();

        // assert
        Assert.Contains("@link(url: \"https://specs.apollo.dev/federation/v2.9\", import: [", sdl, StringComparison.Ordinal);
        Assert.Contains("\"@cost\", \"@listSize\"]", sdl, StringComparison.Ordinal);
        Assert.Contains(
            "recentCallers(first: Int): [String!]! @listSize(assumedSize: 20, slicingArguments: [\"first\"], requireOneSlicingArgument: false) @cost(weight: 3)",
            sdl,
            StringComparison.Ordinal);
        Assert.DoesNotContain("directive @cost", sdl, StringComparison.Ordinal);
    }
}
