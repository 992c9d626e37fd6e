using Alerting.Data;
using Federation.Subgraph.Messaging.Events;

namespace Alerting.Events;

public static class AlertingTopics
{
    /// <summary>Alerts as they are raised, acknowledged and resolved, keyed by alert id so one alert's arrive in order.</summary>
    public const string Alert = "alerting.alert.v1";
}

/// <summary>A rule breached for a subject that had no unresolved alert; the gateway's <c>alertRaised</c> is fed from it.</summary>
public sealed record AlertRaised(int AlertId, string RuleId, string Subject, string Severity, string Summary, double Value, double Threshold, DateTimeOffset RaisedAt) : IIntegrationEvent
{
    public static string EventType => nameof(AlertRaised);
    public static int SchemaVersion => 1;

    public static AlertRaised From(Alert alert) =>
        new(alert.Id, alert.RuleId, alert.Subject, Name(alert.Severity), alert.Summary, alert.Value, alert.Threshold, alert.RaisedAt);

    /// <summary>The GraphQL enum value, so a consumer can pass it on unchanged.</summary>
    internal static string Name(AlertSeverity severity) => severity.ToString().ToUpperInvariant();
}

/// <summary>An admin acknowledged an open alert; it stays unresolved until its condition clears.</summary>
public sealed record AlertAcknowledged(int AlertId, string RuleId, string Subject, int AcknowledgedBy, DateTimeOffset AcknowledgedAt) : IIntegrationEvent
{
    public static string EventType => nameof(AlertAcknowledged);
    public static int SchemaVersion => 1;

    public static AlertAcknowledged From(Alert alert) =>
        new(alert.Id, alert.RuleId, alert.Subject, alert.AcknowledgedBy ?? 0, alert.AcknowledgedAt ?? alert.RaisedAt);
}

/// <summary>The alert's condition cleared (or its rule was disabled); <c>Value</c> is the last value that breached.</summary>
public sealed record AlertResolved(int AlertId, string RuleId, string Subject, double Value, DateTimeOffset ResolvedAt) : IIntegrationEvent
{
    public static string EventType => nameof(AlertResolved);
    public static int SchemaVersion => 1;

    public static AlertResolved From(Alert alert) =>
        new(alert.Id, alert.RuleId, alert.Subject, alert.Value, alert.ResolvedAt ?? alert.RaisedAt);
}
