namespace Infrastructure.Tests.Observability;

/// <summary>observability/prometheus: the rules and configs load in Prometheus's own checker and their unit tests pass.</summary>
public sealed class PrometheusRulesTests
{
    private static readonly TimeSpan PromtoolTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task PromtoolCheckRules_Should_Succeed_When_RunOnTheCommittedRules()
    {
        // arrange
        var files = ObservabilityFiles.RuleFiles.ToList();

        // act
        var (exitCode, output) = await ObservabilityFiles.RunAsync("promtool", ["check", "rules", .. files], PromtoolTimeout);

        // assert
        Assert.True(exitCode == 0, output);
        Assert.Equal(2, files.Count);
        Assert.Equal(files.Count, output.Split('\n').Count(line => line.Contains("SUCCESS:", StringComparison.Ordinal) && line.Contains("rules found", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task PromtoolTestRules_Should_Pass_When_RunOnTheRuleUnitTests()
    {
        // arrange
        var files = ObservabilityFiles.RuleTestFiles.ToList();

        // act
        var (exitCode, output) = await ObservabilityFiles.RunAsync("promtool", ["test", "rules", .. files], PromtoolTimeout, ObservabilityFiles.PrometheusFolder);

        // assert
        Assert.True(exitCode == 0, output);
        Assert.Equal(2, files.Count);
        Assert.Equal(files.Count, output.Split('\n').Count(line => line.Trim() == "SUCCESS"));
    }

    [Fact]
    public async Task PromtoolCheckConfig_Should_Succeed_When_RunOnTheComposeConfig()
    {
        // act
        var (exitCode, output) = await ObservabilityFiles.RunAsync(
            "promtool", ["check", "config", Path.Combine(ObservabilityFiles.PrometheusFolder, "prometheus.yml")], PromtoolTimeout);

        // assert
        Assert.True(exitCode == 0, output);
        Assert.Contains("SUCCESS: 2 rule files found", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Rules_Should_ReadOnlyDocumentedSeries_When_Committed()
    {
        // arrange
        var rules = ObservabilityFiles.Rules();
        var known = ObservabilityFiles.DocumentedSeries().Union(rules.Where(rule => rule.Record is not null).Select(rule => rule.Record!)).ToHashSet(StringComparer.Ordinal);

        // act
        var undocumented = rules
            .SelectMany(rule => ObservabilityFiles.SeriesNames(rule.Expr).Select(name => StripHistogramSuffix(name, known)))
            .Where(name => !known.Contains(name))
            .Distinct()
            .ToList();

        // assert
        Assert.Empty(undocumented);
        Assert.Contains(rules, rule => rule.Alert == "DeadLetterArrivals");
    }

    [Fact]
    public void Rules_Should_CoverTheIssueSignals_When_Committed()
    {
        // arrange
        var alerts = ObservabilityFiles.Rules().Where(rule => rule.Alert is not null).Select(rule => rule.Alert!).ToList();

        // assert
        Assert.Equal(
            ["ConsumerLagHigh", "DeadLetterArrivals", "FederationTargetDown", "GatewayOperationErrorRateHigh", "GatewayOperationSlow", "OutboxStale", "ServiceHttpErrorRateHigh", "SubgraphCircuitNotClosed", "SubgraphFetchFailuresHigh"],
            alerts.Order(StringComparer.Ordinal));
    }

    /// <summary>A histogram documented as <c>x</c> is selected as <c>x_bucket</c>, <c>x_count</c> or <c>x_sum</c>.</summary>
    internal static string StripHistogramSuffix(string name, IReadOnlySet<string> known)
    {
        foreach (var suffix in new[] { "_bucket", "_count", "_sum" })
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal) && known.Contains(name[..^suffix.Length]))
            {
                return name[..^suffix.Length];
            }
        }

        return name;
    }
}
