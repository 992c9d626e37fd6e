namespace Alerting.Data;

public enum AlertSeverity
{
    Warning,
    Critical,
}

public enum AlertStatus
{
    Open,
    Acknowledged,
    Resolved,
}

/// <summary>
/// One breach of one rule for one subject, from raised to resolved. At most one alert per (rule, subject) is not
/// resolved at a time (a partial unique index), so a condition that stays breached updates its alert instead of raising more.
/// </summary>
public sealed class Alert
{
    public const int SummaryMaxLength = 500;

    public int Id { get; set; }
    public string RuleId { get; set; } = "";

    /// <summary>What the rule measured: a product, a dead-letter topic, a consumer group, or the whole signal.</summary>
    public string Subject { get; set; } = "";
    public AlertSeverity Severity { get; set; }
    public AlertStatus Status { get; set; }
    public string Summary { get; set; } = "";

    /// <summary>The measured value when raised, updated at each evaluation while the alert is open.</summary>
    public double Value { get; set; }
    public double Threshold { get; set; }
    public DateTimeOffset RaisedAt { get; set; }
    public DateTimeOffset? AcknowledgedAt { get; set; }
    public int? AcknowledgedBy { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
}
