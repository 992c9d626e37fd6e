using System.Text.Json.Nodes;

namespace Infrastructure.Tests.Observability;

/// <summary>observability/grafana: dashboards provisioned by compose read only series the rules record or the contract documents.</summary>
public sealed class GrafanaDashboardTests
{
    public static TheoryData<string> Dashboards => new(ObservabilityFiles.DashboardFiles.Select(Path.GetFileName).Select(name => name!));

    [Fact]
    public void Dashboards_Should_BeTheThreeNamedOnes_When_Committed()
    {
        // assert
        Assert.Equal(
            ["gateway-overview.json", "messaging.json", "subgraph-health.json"],
            ObservabilityFiles.DashboardFiles.Select(Path.GetFileName));
    }

    [Theory]
    [MemberData(nameof(Dashboards))]
    public void Dashboard_Should_ReadOnlyRecordedOrDocumentedSeriesFromTheProvisionedSource_When_Loaded(string file)
    {
        // arrange
        var dashboard = JsonNode.Parse(File.ReadAllText(Path.Combine(ObservabilityFiles.DashboardsFolder, file)))!;
        var rules = ObservabilityFiles.Rules();
        var known = ObservabilityFiles.DocumentedSeries().Union(rules.Where(rule => rule.Record is not null).Select(rule => rule.Record!)).ToHashSet(StringComparer.Ordinal);
        var source = ObservabilityFiles.LoadYaml(Path.Combine(ObservabilityFiles.Folder, "grafana", "provisioning", "datasources", "prometheus.yml"));
        var sourceUid = ((YamlDotNet.RepresentationModel.YamlSequenceNode)source.Child("datasources")!).Children.Single().Scalar("uid");

        // act
        var expressions = ObservabilityFiles.DashboardExpressions(dashboard);
        var unknown = expressions
            .SelectMany(target => ObservabilityFiles.SeriesNames(target.Expr).Select(name => (target.Panel, Series: PrometheusRulesTests.StripHistogramSuffix(name, known))))
            .Where(use => !known.Contains(use.Series))
            .Select(use => $"{use.Panel}: {use.Series}")
            .ToList();
        var panels = dashboard["panels"]!.AsArray().Select(panel => panel!).ToList();

        // assert
        Assert.Empty(unknown);
        Assert.NotEmpty(expressions);
        Assert.StartsWith("federation-", dashboard["uid"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(panels.Count, panels.Select(panel => panel["id"]!.GetValue<int>()).Distinct().Count());
        Assert.All(
            panels.Where(panel => panel["type"]!.GetValue<string>() != "row"),
            panel => Assert.Equal(sourceUid, panel["datasource"]!["uid"]!.GetValue<string>()));
    }

    [Fact]
    public async Task DashboardExpressions_Should_BeValidPromQL_When_CheckedByPromtool()
    {
        // arrange: promtool has no expression checker, so every expression becomes a recording rule it parses.
        var expressions = ObservabilityFiles.DashboardFiles
            .SelectMany(file => ObservabilityFiles.DashboardExpressions(JsonNode.Parse(File.ReadAllText(file))!))
            .Select(target => target.Expr)
            .ToList();
        var folder = Federation.Testing.Servers.TestDirectories.Create("dashboard-promql");
        var rulesFile = Path.Combine(folder, "dashboards.yml");
        await File.WriteAllLinesAsync(
            rulesFile,
            ["groups:", "  - name: dashboards", "    rules:", .. expressions.SelectMany((expr, index) => new[] { $"      - record: dashboard_expression_{index}", $"        expr: {System.Text.Json.JsonSerializer.Serialize(expr)}" })]);

        try
        {
            // act
            var (exitCode, output) = await ObservabilityFiles.RunAsync("promtool", ["check", "rules", rulesFile], TimeSpan.FromSeconds(60));

            // assert
            Assert.True(exitCode == 0, output);
            Assert.Contains($"SUCCESS: {expressions.Count} rules found", output, StringComparison.Ordinal);
        }
        finally
        {
            Federation.Testing.Servers.TestDirectories.Delete(folder);
        }
    }
}
