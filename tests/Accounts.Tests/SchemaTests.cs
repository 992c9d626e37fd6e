using Federation.Testing.Subgraphs;

namespace Accounts.Tests;

public sealed class SchemaTests
{
    [Fact]
    public async Task SchemaPrint_Should_MatchSnapshot_When_PrintedFromBuiltCode()
    {
        // act
        var sdl = await SubgraphProcess.PrintSchemaAsync("Accounts");

        // assert
        sdl.MatchSnapshot();
    }

    [Fact]
    public async Task SchemaPrint_Should_NotExposePasswordHash_When_PrintedWithoutDatabase()
    {
        // act
        var sdl = await SubgraphProcess.PrintSchemaAsync("Accounts");

        // assert
        Assert.Contains("type User @key(fields: \"id\")", sdl);
        Assert.Contains("union _Entity = User", sdl);
        var userType = sdl[sdl.IndexOf("type User @key", StringComparison.Ordinal)..];
        userType = userType[..userType.IndexOf('}', StringComparison.Ordinal)];
        Assert.DoesNotContain("password", userType, StringComparison.OrdinalIgnoreCase);
    }
}
