namespace Alerting.Data;

/// <summary>How a rule reduces a signal's samples in its window to the one value it compares with its threshold.</summary>
public enum RuleAggregate
{
    /// <summary>The mean of the samples' values: with 1 for a failure and 0 for a success, the failure rate.</summary>
    Mean,

    /// <summary>Samples per minute of the window.</summary>
    PerMinute,

    /// <summary>Samples in the window.</summary>
    Count,

    /// <summary>The subject's last reported value (a gauge such as stock or lag), whatever its age.</summary>
    Latest,
}

public enum RuleComparison
{
    Above,
    Below,
}

/// <summary>
/// A rule as data: the generic evaluator compares <see cref="Aggregate"/> of <see cref="Signal"/>'s samples per subject
/// over <see cref="Window"/> with <see cref="Threshold"/>. Seeded from configuration (<c>Alerting:Rules</c>) at start.
/// </summary>
public sealed class AlertRule
{
    public string Id { get; set; } = "";

    /// <summary>What the alert says before its figures, e.g. "Payment failure rate".</summary>
    public string Title { get; set; } = "";
    public string Signal { get; set; } = "";
    public RuleAggregate Aggregate { get; set; }
    public RuleComparison Comparison { get; set; }
    public double Threshold { get; set; }
    public TimeSpan Window { get; set; }

    /// <summary>Samples the window needs before the rule can breach: two declines are not a failure rate.</summary>
    public int MinSamples { get; set; }
    public AlertSeverity Severity { get; set; }
    public bool Enabled { get; set; }

    public bool Breaches(double value) => Comparison == RuleComparison.Above ? value > Threshold : value < Threshold;
}
