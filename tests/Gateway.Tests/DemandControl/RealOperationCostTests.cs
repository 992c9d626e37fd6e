using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Federation.Gateway.DemandControl;
using Federation.Gateway.Schema;
using Federation.Gateway.Tests.Fixtures;
using GraphQLParser;
using GraphQLParser.AST;
using Xunit.Abstractions;

namespace Federation.Gateway.Tests.DemandControl;

/// <summary>
/// The default maximum cost lets every real operation through: the web app's, the gateway corpus's and the benchmark's,
/// each priced at the largest page and window a caller may ask for (<c>first</c> 100, <c>minutes</c> 1,440) unless the
/// operation's own variables say otherwise.
/// </summary>
public sealed partial class RealOperationCostTests(ITestOutputHelper output)
{
    private static readonly Supergraph Supergraph = Supergraph.Parse(Repository.SupergraphSdl);
    private static readonly CostSchema Costs = CostSchema.Read(Supergraph);

    /// <summary>The largest values the subgraphs accept for the variables that size lists.</summary>
    private static readonly Dictionary<string, object?> Largest = new(StringComparer.Ordinal) { ["first"] = 100, ["minutes"] = 1440 };

    [Fact]
    public void Estimate_Should_StayUnderDefaultMax_When_OperationIsTheWebApps()
    {
        // arrange
        var sources = Directory.EnumerateFiles(Path.Combine(Repository.Root, "web", "src"), "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".ts", StringComparison.Ordinal) || f.EndsWith(".tsx", StringComparison.Ordinal))
            .Where(f => !f.Contains(".test.", StringComparison.Ordinal))
            .SelectMany(f => TaggedTemplate().Matches(File.ReadAllText(f)).Select(m => Interpolation().Replace(m.Groups[1].Value, " ")))
            .Where(text => text.Trim().Length > 0);
        var document = Combine(sources.Select(text => Parser.Parse(text)));

        // act
        var costs = EstimateAll(document, null);

        // assert
        Assert.True(costs.Count >= 10, $"{costs.Count} web operations found");
        AssertUnderDefaultMax(costs);
    }

    [Fact]
    public void Estimate_Should_StayUnderDefaultMax_When_OperationIsInTheGatewayCorpus()
    {
        // arrange
        var costs = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "operations"), "*.graphql"))
        {
            GraphQLDocument document;
            try
            {
                document = Parser.Parse(File.ReadAllText(file));
            }
            catch (GraphQLParser.Exceptions.GraphQLSyntaxErrorException)
            {
                continue; // the corpus's syntax-error cases never reach demand control
            }

            var variablesFile = Path.ChangeExtension(file, ".json");
            var variables = File.Exists(variablesFile) ? JsonNode.Parse(File.ReadAllText(variablesFile))!.AsObject() : null;

            // act
            foreach (var (name, cost) in EstimateAll(document, variables))
            {
                costs[Path.GetFileNameWithoutExtension(file) + "/" + name] = cost;
            }
        }

        // assert
        Assert.True(costs.Count >= 80, $"{costs.Count} corpus operations found");
        AssertUnderDefaultMax(costs);
    }

    [Fact]
    public void Estimate_Should_StayUnderDefaultMax_When_OperationIsTheBenchmarks()
    {
        // arrange
        var documents = Directory.EnumerateFiles(Path.Combine(Repository.Root, "bench", "operations"), "*.graphql").Select(f => Parser.Parse(File.ReadAllText(f)));

        // act
        var costs = EstimateAll(Combine(documents), null);

        // assert
        Assert.True(costs.Count >= 5, $"{costs.Count} benchmark operations found");
        AssertUnderDefaultMax(costs);
    }

    private void AssertUnderDefaultMax(Dictionary<string, double> costs)
    {
        foreach (var (name, cost) in costs.OrderByDescending(c => c.Value).Take(5))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{cost,10:0} {name}"));
        }

        Assert.Empty(costs.Where(c => c.Value > DemandControlOptions.DefaultMaxCost).Select(c => $"{c.Key}: {c.Value}"));
    }

    private static Dictionary<string, double> EstimateAll(GraphQLDocument document, JsonObject? variables)
    {
        object? Variable(string name) => variables?[name] is JsonValue value
            ? value.TryGetValue<int>(out var number) ? number : value.TryGetValue<bool>(out var flag) ? flag : value.ToString()
            : Largest.GetValueOrDefault(name);

        var estimator = new CostEstimator(Supergraph, Costs, document, Variable, new DemandControlOptions().ListSize);
        var costs = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var operation in document.Definitions.OfType<GraphQLOperationDefinition>())
        {
            costs[operation.Name?.StringValue ?? "(anonymous)"] = estimator.Estimate(operation);
        }

        return costs;
    }

    /// <summary>One document of every operation and every fragment: the web app spreads fragments across files.</summary>
    private static GraphQLDocument Combine(IEnumerable<GraphQLDocument> documents)
    {
        var fragments = new HashSet<string>(StringComparer.Ordinal);
        var definitions = new List<ASTNode>();
        foreach (var definition in documents.SelectMany(d => d.Definitions))
        {
            if (definition is not GraphQLFragmentDefinition fragment || fragments.Add(fragment.FragmentName.Name.StringValue))
            {
                definitions.Add(definition);
            }
        }

        return new GraphQLDocument(definitions);
    }

    /// <summary>gql`...` and graphql`...` templates, as schema/lib/operations.mjs finds them.</summary>
    [GeneratedRegex(@"\b(?:gql|graphql)\s*(?:\(\s*)?`((?:[^`\\]|\\[\s\S])*)`")]
    private static partial Regex TaggedTemplate();

    [GeneratedRegex(@"\$\{[^}]*\}")]
    private static partial Regex Interpolation();
}
