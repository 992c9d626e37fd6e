using Federation.Testing.Subgraphs;

namespace Notifications.Tests;

public sealed class SchemaTests
{
    [Fact]
    public async Task SchemaPrint_Should_MatchSnapshot_When_PrintedFromBuiltCode()
    {
        // act
        var sdl = await SubgraphProcess.PrintSchemaAsync("Notifications");

        // assert
        sdl.MatchSnapshot();
    }

    [Fact]
    public async Task SchemaPrint_Should_DeclareEntityKeys_When_PrintedWithoutDatabase()
    {
        // act
        var sdl = await SubgraphProcess.PrintSchemaAsync("Notifications");

        // assert
        Assert.Contains("type Notification @authenticated @key(fields: \"id\")", sdl);
        Assert.Contains("type User @key(fields: \"id\")", sdl);
        Assert.Contains("union _Entity = Notification | User", sdl);
    }
}
