using Alerting.Data;
using Microsoft.Extensions.Configuration;

namespace Alerting.Rules;

/// <summary>
/// Bound from the <c>Alerting</c> section. Each <c>Alerting:Rules:&lt;id&gt;</c> entry is written to the rules table at start
/// (configuration wins over the row), so <c>Alerting__Rules__payment-failure-rate__Threshold=0.5</c> changes a rule.
/// </summary>
public sealed class AlertingOptions
{
    public const string Section = "Alerting";

    public Dictionary<string, RuleSettings> Rules { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How often every rule is evaluated even without events: windows slide, so a breach clears with time.</summary>
    public TimeSpan EvaluationInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long after an event its signal's rules are evaluated; the events of that time share one evaluation. Under a
    /// load of hundreds of events a second, evaluating per event made alerting the busiest consumer on the machine.
    /// </summary>
    public TimeSpan EventEvaluationDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The dead-letter topics to watch: every <c>&lt;topic&gt;.dlq.&lt;service&gt;</c> of deploy/topics.json.</summary>
    public List<string> DeadLetterTopics { get; set; } = [];

    public ConsumerLagOptions ConsumerLag { get; set; } = new();

    public static AlertingOptions From(IConfiguration configuration)
    {
        var options = new AlertingOptions();
        configuration.GetSection(Section).Bind(options);
        return options;
    }
}

/// <summary>One rule's configuration; every property but <see cref="Threshold"/> has a default.</summary>
public sealed class RuleSettings
{
    public string? Title { get; set; }
    public string? Signal { get; set; }
    public RuleAggregate Aggregate { get; set; } = RuleAggregate.Count;
    public RuleComparison Comparison { get; set; } = RuleComparison.Above;
    public double? Threshold { get; set; }
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(5);
    public int MinSamples { get; set; } = 1;
    public AlertSeverity Severity { get; set; } = AlertSeverity.Warning;
    public bool Enabled { get; set; } = true;

    /// <summary>The rule row, or an exception naming the configuration key at fault.</summary>
    public AlertRule ToRule(string id)
    {
        var at = $"{AlertingOptions.Section}:Rules:{id}";
        if (string.IsNullOrWhiteSpace(Signal))
            throw new InvalidOperationException($"{at}:Signal is required.");
        if (Threshold is not { } threshold || !double.IsFinite(threshold))
            throw new InvalidOperationException($"{at}:Threshold is required and must be a number.");
        if (Aggregate != RuleAggregate.Latest && Window <= TimeSpan.Zero)
            throw new InvalidOperationException($"{at}:Window must be positive.");
        if (MinSamples < 1)
            throw new InvalidOperationException($"{at}:MinSamples must be at least 1.");
        return new AlertRule
        {
            Id = id,
            Title = string.IsNullOrWhiteSpace(Title) ? id : Title,
            Signal = Signal,
            Aggregate = Aggregate,
            Comparison = Comparison,
            Threshold = threshold,
            Window = Window,
            MinSamples = MinSamples,
            Severity = Severity,
            Enabled = Enabled,
        };
    }
}

public sealed class ConsumerLagOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>The consumer groups whose lag is measured: every service that consumes (deploy/topics.json).</summary>
    public List<string> Groups { get; set; } = [];
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(10);
}
