using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Confluent.Kafka;
using Federation.Subgraph.Messaging.Events;
using Federation.Subgraph.Messaging.Hosting;
using Federation.Subgraph.Messaging.Outbox;

namespace Federation.Subgraph.Messaging;

/// <summary>
/// Spans and metrics of the outbox relay and the consumer host, under the names the telemetry kit collects
/// (<c>Federation.*</c>). Span attributes follow OpenTelemetry's messaging conventions; the metric names are listed in
/// docs/architecture.md, which the Prometheus rules and Grafana dashboards rely on.
/// </summary>
public static class MessagingTelemetry
{
    public const string SourceName = "Federation.Messaging";

    public static readonly ActivitySource Source = new(SourceName);

    private static readonly Meter Meter = new(SourceName);

    private static readonly InstrumentAdvice<double> Seconds = new()
    {
        HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    };

    private static readonly Counter<long> Published = Meter.CreateCounter<long>(
        "federation.messaging.published", "{message}", "Outbox rows Kafka acknowledged, by topic.");

    private static readonly Counter<long> PublishFailures = Meter.CreateCounter<long>(
        "federation.messaging.publish.failures", "{message}", "Outbox rows Kafka refused or timed out (retried by the next relay round), by topic.");

    private static readonly Histogram<double> PublishDuration = Meter.CreateHistogram(
        "federation.messaging.publish.duration", "s", "Time from handing an outbox row to the producer to Kafka's acknowledgement (acks=all), by topic.", advice: Seconds);

    private static readonly Counter<long> Consumed = Meter.CreateCounter<long>(
        "federation.messaging.consumed", "{message}", "Messages the consumer finished, by topic, event type and outcome (applied, duplicate, ignored, dead_lettered).");

    private static readonly Histogram<double> HandlerDuration = Meter.CreateHistogram(
        "federation.messaging.handler.duration", "s", "One processing attempt (inbox row, handler, commit), by topic, event type and outcome.", advice: Seconds);

    private static readonly Counter<long> Retries = Meter.CreateCounter<long>(
        "federation.messaging.handler.retries", "{attempt}", "Failed processing attempts that are retried, by topic and event type.");

    private static readonly Counter<long> DeadLettered = Meter.CreateCounter<long>(
        "federation.messaging.dead_lettered", "{message}", "Messages written to the dead-letter topic, by original topic and event type.");

    private static readonly Histogram<double> EventLatency = Meter.CreateHistogram(
        "federation.messaging.event.latency", "s", "End-to-end latency of an applied event: its occurredAt to the consumer's commit, by topic and event type.", advice: Seconds);

    private static readonly ConditionalWeakTable<MessagingStatus, object> Statuses = [];

    static MessagingTelemetry()
    {
        Meter.CreateObservableGauge("federation.messaging.outbox.pending", () => Observe(s => s.OutboxPending), "{message}",
            "Unsent outbox rows the relay's last round saw (at most one batch).");
        Meter.CreateObservableGauge("federation.messaging.outbox.age", ObserveOutboxAge, "s",
            "Age of the oldest unsent outbox row; 0 when the outbox is drained.");
        Meter.CreateObservableGauge("federation.messaging.consumer.lag", ObserveLag, "{message}",
            "Messages behind the high watermark, per topic and partition of the consumer group.");
    }

    internal static void Track(MessagingStatus status) => Statuses.AddOrUpdate(status, status);

    /// <summary>
    /// The producer span of one outbox row: a child of the span that wrote the row (its stored <c>traceparent</c>), and
    /// itself the parent the message carries to consumers. Null when nobody listens.
    /// </summary>
    internal static Activity? StartPublish(OutboxMessage row, string service)
    {
        var parent = row.TraceParent is not null && ActivityContext.TryParse(row.TraceParent, null, out var context) ? context : default;
        var activity = Source.StartActivity($"publish {row.Topic}", ActivityKind.Producer, parent);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("messaging.system", "kafka");
            activity.SetTag("messaging.operation.type", "send");
            activity.SetTag("messaging.destination.name", row.Topic);
            activity.SetTag("messaging.message.id", row.EventId.ToString());
            activity.SetTag("messaging.kafka.message.key", row.Key);
            activity.SetTag("messaging.client.id", $"{service}-outbox-relay");
            activity.SetTag("event.type", row.Type);
        }

        return activity;
    }

    internal static void Publishing(OutboxMessage row, Activity? activity, TimeSpan elapsed, DeliveryResult<string, byte[]>? delivered, string? error)
    {
        var topic = new KeyValuePair<string, object?>("messaging.destination.name", row.Topic);
        if (delivered is not null)
        {
            Published.Add(1, topic);
            PublishDuration.Record(elapsed.TotalSeconds, topic);
            activity?.SetTag("messaging.destination.partition.id", delivered.Partition.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
            activity?.SetTag("messaging.kafka.offset", delivered.Offset.Value);
        }
        else
        {
            PublishFailures.Add(1, topic);
            activity?.SetStatus(ActivityStatusCode.Error, error);
        }

        activity?.Stop();
    }

    /// <summary>
    /// The span of one processing attempt, a child of the producer span whose context the message's <c>traceparent</c>
    /// header carries (see docs/architecture.md, "Tracing across Kafka", for why a child and not a link). When nobody
    /// listens, a plain activity still carries the trace id on to the outbox rows the handler writes.
    /// </summary>
    internal static Activity StartProcess(ConsumeResult<string, byte[]> result, Guid eventId, string eventType, string group, int attempt)
    {
        var header = TraceParent.Read(result.Message.Headers);
        var parent = header is not null && ActivityContext.TryParse(header, null, out var context) ? context : default;
        var activity = Source.StartActivity($"process {result.Topic}", ActivityKind.Consumer, parent);
        if (activity is null)
        {
            return TraceParent.StartChild($"process {result.Topic}", header);
        }

        if (activity.IsAllDataRequested)
        {
            activity.SetTag("messaging.system", "kafka");
            activity.SetTag("messaging.operation.type", "process");
            activity.SetTag("messaging.destination.name", result.Topic);
            activity.SetTag("messaging.destination.partition.id", result.Partition.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
            activity.SetTag("messaging.kafka.offset", result.Offset.Value);
            activity.SetTag("messaging.consumer.group.name", group);
            activity.SetTag("messaging.message.id", eventId.ToString());
            activity.SetTag("event.type", eventType);
            activity.SetTag("event.attempt", attempt);
        }

        return activity;
    }

    internal static void Processed(string topic, string? type, string outcome, TimeSpan elapsed, DateTimeOffset? occurredAt)
    {
        var tags = new TagList { { "messaging.destination.name", topic }, { "event.type", type ?? "unknown" } };
        if (occurredAt is { } at)
        {
            EventLatency.Record(Math.Max(0, (DateTimeOffset.UtcNow - at).TotalSeconds), tags);
        }

        tags.Add("outcome", outcome);
        HandlerDuration.Record(elapsed.TotalSeconds, tags);
        if (outcome != "failed")
        {
            Consumed.Add(1, tags);
        }
    }

    internal static void Retrying(string topic, string? type) =>
        Retries.Add(1, new("messaging.destination.name", topic), new("event.type", type ?? "unknown"));

    internal static void DeadLetteredOne(string topic, string? type)
    {
        var tags = new TagList { { "messaging.destination.name", topic }, { "event.type", type ?? "unknown" } };
        DeadLettered.Add(1, tags);
        tags.Add("outcome", "dead_lettered");
        Consumed.Add(1, tags);
    }

    private static IEnumerable<Measurement<long>> Observe(Func<MessagingStatus, long> value)
    {
        foreach (var (status, _) in Statuses)
        {
            yield return new Measurement<long>(value(status));
        }
    }

    private static IEnumerable<Measurement<double>> ObserveOutboxAge()
    {
        foreach (var (status, _) in Statuses)
        {
            yield return new Measurement<double>(status.OutboxOldest is { } oldest ? Math.Max(0, (DateTimeOffset.UtcNow - oldest).TotalSeconds) : 0);
        }
    }

    private static IEnumerable<Measurement<long>> ObserveLag()
    {
        foreach (var (status, _) in Statuses)
        {
            foreach (var (topic, partition, lag) in status.LagByPartition)
            {
                yield return new Measurement<long>(lag, new("messaging.destination.name", topic), new("messaging.destination.partition.id", partition.ToString(CultureInfo.InvariantCulture)));
            }
        }
    }
}
