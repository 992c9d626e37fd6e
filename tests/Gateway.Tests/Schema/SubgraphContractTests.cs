using System.Text.Json.Nodes;
using Federation.Gateway.Tests.Fixtures;

namespace Federation.Gateway.Tests.Schema;

/// <summary>The committed fixture supergraph was composed from these SDLs; a fixture change must be recomposed.</summary>
public sealed class SubgraphContractTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    [Theory]
    [InlineData("accounts")]
    [InlineData("products")]
    [InlineData("inventory")]
    [InlineData("reviews")]
    public async Task FixtureSubgraph_Should_ServeCommittedSdl_When_ServiceIsQueried(string name)
    {
        // arrange
        var committed = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Subgraphs", name + ".graphql"));

        // act
        var response = JsonNode.Parse(await fixture.Subgraphs[name].ExecuteAsync("{ _service { sdl } }"))!;
        var sdl = response["data"]!["_service"]!["sdl"]!.GetValue<string>();

        // assert
        Assert.Equal(Normalize(committed), Normalize(Composable(sdl)));
    }

    private static string Normalize(string sdl) => string.Join('\n', sdl.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0));

    /// <summary>What the composition one-off fed to @apollo/composition: graphql-dotnet's own federation plumbing removed.</summary>
    private static string Composable(string sdl) => string.Join('\n', sdl
        .Replace("@link(url: \"https://specs.apollo.dev/link/v1.0\", import: [\"@link\"]) ", string.Empty, StringComparison.Ordinal)
        .Split('\n')
        .Where(l => !l.Contains("_service: _Service!", StringComparison.Ordinal)
            && !l.Contains("_entities(representations", StringComparison.Ordinal)
            && l != "scalar _Any"
            && !l.StartsWith("union _Entity", StringComparison.Ordinal))
        .Aggregate(new List<string>(), (lines, line) =>
        {
            if (line == "}" && lines.Count > 0 && lines[^1] == "  sdl: String" && lines.Count > 1 && lines[^2] == "type _Service {")
            {
                lines.RemoveRange(lines.Count - 2, 2);
            }
            else
            {
                lines.Add(line);
            }

            return lines;
        }));
}
