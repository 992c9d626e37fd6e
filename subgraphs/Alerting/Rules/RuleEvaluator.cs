using System.Globalization;
using Alerting.Data;
using Alerting.Events;
using Federation.Subgraph.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Alerting.Rules;

/// <summary>
/// The one evaluator every rule goes through: per subject, the rule's aggregate of its signal (over its window, or the
/// gauge's last value) against its threshold. A breach with no unresolved alert for (rule, subject) raises one; a breach
/// with one updates its value; an unresolved alert whose subject no longer breaches (or whose rule was disabled) is resolved.
/// Changes and their events are staged in the caller's context and transaction, which the caller commits.
/// </summary>
public sealed class RuleEvaluator
{
    /// <summary>Evaluations take turns (across replicas too): two raising the same breach at once would collide on the open-alert index.</summary>
    private const long EvaluationLockId = 0x616C65727473; // "alerts"

    public Task EvaluateAsync(AlertingDbContext db, string signal, DateTimeOffset now, CancellationToken cancellationToken) =>
        EvaluateAsync(db, [signal], now, cancellationToken);

    /// <summary>The rules of <paramref name="signals"/>, or every rule when it is <c>null</c>.</summary>
    public async Task EvaluateAsync(AlertingDbContext db, IReadOnlyCollection<string>? signals, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
            throw new InvalidOperationException("Rules are evaluated inside the caller's transaction.");
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({EvaluationLockId})", cancellationToken);

        var rules = await db.Rules.AsNoTracking()
            .Where(r => signals == null || signals.Contains(r.Signal))
            .OrderBy(r => r.Id)
            .ToListAsync(cancellationToken);
        foreach (var rule in rules)
            await EvaluateRuleAsync(db, rule, now, cancellationToken);
    }

    private static async Task EvaluateRuleAsync(AlertingDbContext db, AlertRule rule, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var open = await db.Alerts
            .Where(a => a.RuleId == rule.Id && a.Status != AlertStatus.Resolved)
            .ToDictionaryAsync(a => a.Subject, StringComparer.Ordinal, cancellationToken);
        var breaches = rule.Enabled ? await MeasureAsync(db, rule, now, cancellationToken) : [];

        foreach (var (subject, value) in breaches)
        {
            if (open.Remove(subject, out var alert))
            {
                alert.Value = value;
                alert.Summary = Summary(rule, subject, value);
                continue;
            }

            alert = new Alert
            {
                RuleId = rule.Id,
                Subject = subject,
                Severity = rule.Severity,
                Status = AlertStatus.Open,
                Summary = Summary(rule, subject, value),
                Value = value,
                Threshold = rule.Threshold,
                RaisedAt = now,
            };
            db.Alerts.Add(alert);
            // The alert id is the event's key and content; the caller's transaction is still open.
            await db.SaveChangesAsync(cancellationToken);
            Outbox.Add(db, AlertingTopics.Alert, alert.Id.ToString(CultureInfo.InvariantCulture), AlertRaised.From(alert), now);
        }

        foreach (var alert in open.Values)
        {
            alert.Status = AlertStatus.Resolved;
            alert.ResolvedAt = now;
            Outbox.Add(db, AlertingTopics.Alert, alert.Id.ToString(CultureInfo.InvariantCulture), AlertResolved.From(alert), now);
        }
    }

    /// <summary>The subjects that breach the rule now, with the measured value of each.</summary>
    private static async Task<List<(string Subject, double Value)>> MeasureAsync(AlertingDbContext db, AlertRule rule, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (rule.Aggregate == RuleAggregate.Latest)
        {
            var gauges = db.Gauges.Where(g => g.Signal == rule.Signal);
            gauges = rule.Comparison == RuleComparison.Above
                ? gauges.Where(g => g.Value > rule.Threshold)
                : gauges.Where(g => g.Value < rule.Threshold);
            return (await gauges.Select(g => new { g.Subject, g.Value }).ToListAsync(cancellationToken))
                .Select(g => (g.Subject, g.Value))
                .ToList();
        }

        var since = now - rule.Window;
        var windows = await db.Samples
            .Where(s => s.Signal == rule.Signal && s.ObservedAt > since)
            .GroupBy(s => s.Subject)
            .Select(g => new { Subject = g.Key, Count = g.Count(), Mean = g.Average(s => s.Value) })
            .ToListAsync(cancellationToken);
        return windows
            .Where(w => w.Count >= rule.MinSamples)
            .Select(w => (w.Subject, Value: rule.Aggregate switch
            {
                RuleAggregate.Mean => w.Mean,
                RuleAggregate.PerMinute => w.Count / rule.Window.TotalMinutes,
                _ => (double)w.Count,
            }))
            .Where(w => rule.Breaches(w.Value))
            .ToList();
    }

    /// <summary>E.g. "Payment failure rate 60% over the last 5 minutes (threshold 30%)"; a title may name its <c>{subject}</c>.</summary>
    public static string Summary(AlertRule rule, string subject, double value)
    {
        var title = rule.Title.Replace("{subject}", subject, StringComparison.Ordinal);
        var window = rule.Aggregate == RuleAggregate.Latest ? "" : $" over the last {Describe(rule.Window)}";
        var text = $"{title} {Format(rule.Aggregate, value)}{window} (threshold {Format(rule.Aggregate, rule.Threshold)})";
        return text.Length > Alert.SummaryMaxLength ? text[..Alert.SummaryMaxLength] : text;
    }

    private static string Format(RuleAggregate aggregate, double value) => aggregate switch
    {
        RuleAggregate.Mean => (value * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%",
        RuleAggregate.PerMinute => value.ToString("0.##", CultureInfo.InvariantCulture) + "/min",
        _ => value.ToString("0.##", CultureInfo.InvariantCulture),
    };

    private static string Describe(TimeSpan window) => window switch
    {
        { TotalHours: >= 1 } when window.TotalHours % 1 == 0 => Plural(window.TotalHours, "hour"),
        { TotalMinutes: >= 1 } when window.TotalMinutes % 1 == 0 => Plural(window.TotalMinutes, "minute"),
        _ => Plural(Math.Round(window.TotalSeconds, 1), "second"),
    };

    private static string Plural(double count, string unit) =>
        count == 1 ? unit : $"{count.ToString("0.#", CultureInfo.InvariantCulture)} {unit}s";
}
