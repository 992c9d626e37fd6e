using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Federation.Testing;
using Federation.Testing.Processes;
using YamlDotNet.RepresentationModel;

namespace Infrastructure.Tests.Observability;

/// <summary>The committed observability files (observability/, compose.yaml) and what the tests read out of them.</summary>
internal static partial class ObservabilityFiles
{
    public static readonly string Folder = Path.Combine(RepositoryPaths.Root, "observability");
    public static readonly string PrometheusFolder = Path.Combine(Folder, "prometheus");
    public static readonly string DashboardsFolder = Path.Combine(Folder, "grafana", "dashboards");
    public static readonly string LibraryPath = Path.Combine(RepositoryPaths.Root, "tools", "observability", "lib.sh");
    public static readonly string InfraLibraryPath = Path.Combine(RepositoryPaths.Root, "tools", "infra", "lib.sh");

    public static IEnumerable<string> RuleFiles => Directory.GetFiles(Path.Combine(PrometheusFolder, "rules"), "*.yml").Order(StringComparer.Ordinal);

    public static IEnumerable<string> RuleTestFiles => Directory.GetFiles(Path.Combine(PrometheusFolder, "tests"), "*.test.yml").Order(StringComparer.Ordinal);

    public static IEnumerable<string> DashboardFiles => Directory.GetFiles(DashboardsFolder, "*.json").Order(StringComparer.Ordinal);

    public static YamlMappingNode LoadYaml(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    public static YamlNode? Child(this YamlNode node, string key) =>
        node is YamlMappingNode mapping && mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public static string? Scalar(this YamlNode node, string key) => (node.Child(key) as YamlScalarNode)?.Value;

    /// <summary>Every rule of the committed rule files: its record or alert name and its expression.</summary>
    public static IReadOnlyList<(string? Record, string? Alert, string Expr)> Rules() =>
        RuleFiles
            .SelectMany(file => ((YamlSequenceNode)LoadYaml(file).Child("groups")!).Children)
            .SelectMany(group => ((YamlSequenceNode)group.Child("rules")!).Children)
            .Select(rule => (rule.Scalar("record"), rule.Scalar("alert"), rule.Scalar("expr")!))
            .ToList();

    /// <summary>The series observability/README.md documents as what the rules and dashboards read.</summary>
    public static IReadOnlySet<string> DocumentedSeries()
    {
        var readme = File.ReadAllText(Path.Combine(Folder, "README.md"));
        var section = readme[readme.IndexOf("## Series the rules and dashboards read", StringComparison.Ordinal)..];
        return DocumentedSeriesRow().Matches(section).Select(match => match.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Every target expression of a Grafana dashboard, with the panel's title.</summary>
    public static IReadOnlyList<(string Panel, string Expr)> DashboardExpressions(JsonNode dashboard) =>
        dashboard["panels"]!.AsArray()
            .SelectMany(panel => (panel!["targets"]?.AsArray() ?? []).Select(target => (panel["title"]!.GetValue<string>(), target!["expr"]!.GetValue<string>())))
            .ToList();

    /// <summary>
    /// The metric names a PromQL expression selects: identifiers outside label matchers, ranges and grouping
    /// clauses that are neither functions nor keywords. Enough for the expressions we commit, not a PromQL parser.
    /// </summary>
    public static IReadOnlySet<string> SeriesNames(string expr)
    {
        var text = StringLiteral().Replace(expr, "\"\"");
        text = LabelMatchers().Replace(text, " ");
        text = RangeOrSubquery().Replace(text, " ");
        text = GroupingClause().Replace(text, " ");
        return Identifier().Matches(text).Select(match => match.Value).Where(name => !Keywords.Contains(name)).ToHashSet(StringComparer.Ordinal);
    }

    public static async Task<(int ExitCode, string Output)> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout, string? workingDirectory = null)
    {
        var executable = ChildProcess.Which(fileName)
            ?? throw new InvalidOperationException($"{fileName} is not on PATH; ./federation test installs Debian's prometheus package, which ships it.");
        await using var process = ChildProcess.Start(fileName, executable, arguments, new ChildProcessOptions { WorkingDirectory = workingDirectory });
        var exitCode = await process.WaitForExitAsync(timeout);
        return (exitCode, string.Join('\n', process.Output.Select(line => line.Text)));
    }

    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "and", "or", "unless", "offset", "bool", "by", "without", "on", "ignoring", "group_left", "group_right", "Inf", "NaN", "inf", "nan",
    };

    [GeneratedRegex(@"^\| `([a-zA-Z_:][a-zA-Z0-9_:]*)` \|", RegexOptions.Multiline)]
    private static partial Regex DocumentedSeriesRow();

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex LabelMatchers();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex RangeOrSubquery();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex GroupingClause();

    [GeneratedRegex(@"(?<![\w:.])[a-zA-Z_:][a-zA-Z0-9_:]*(?![\w:])(?!\s*\()")]
    private static partial Regex Identifier();
}
