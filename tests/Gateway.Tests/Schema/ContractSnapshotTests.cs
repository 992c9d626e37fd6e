using Snapshooter;

namespace Federation.Gateway.Tests.Schema;

/// <summary>
/// The composed contracts as the .NET suite sees them: a change to the supergraph or the public API shows up as a
/// snapshot diff here as well as in `./federation schema check`.
/// </summary>
public sealed class ContractSnapshotTests
{
    [Theory]
    [InlineData("supergraph.graphql")]
    [InlineData("api.graphql")]
    public void ComposedSchema_Should_MatchSnapshot_When_ReadFromSchemaFolder(string file)
    {
        // arrange
        var path = Path.Combine(Federation.Testing.RepositoryPaths.Root, "schema", file);

        // act
        var sdl = File.ReadAllText(path).ReplaceLineEndings("\n");

        // assert
        sdl.MatchSnapshot(SnapshotNameExtension.Create(file));
    }
}
