using System.Diagnostics;
using System.Text;
using Confluent.Kafka;

namespace Federation.Subgraph.Messaging.Events;

/// <summary>W3C trace context (<c>traceparent</c>) carried from the writer's request to the consumer's handler.</summary>
public static class TraceParent
{
    public const string HeaderName = "traceparent";

    /// <summary>The current W3C activity id, or a fresh root so every message is traceable.</summary>
    public static string CurrentOrNew() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C, Id: { } id }
            ? id
            : $"00-{ActivityTraceId.CreateRandom().ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01";

    public static string? Read(Headers? headers) =>
        headers is not null && headers.TryGetLastBytes(HeaderName, out var bytes) ? Encoding.ASCII.GetString(bytes) : null;

    /// <summary>Starts an activity that continues the producer's trace, so outbox rows written by a handler carry it on.</summary>
    public static Activity StartChild(string operationName, string? traceParent)
    {
        var activity = new Activity(operationName);
        activity.SetIdFormat(ActivityIdFormat.W3C);
        if (traceParent is not null && ActivityContext.TryParse(traceParent, null, out var parent))
            activity.SetParentId(parent.TraceId, parent.SpanId, parent.TraceFlags);
        return activity.Start();
    }
}
