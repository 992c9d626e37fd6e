namespace Federation.Subgraph.Messaging.Outbox;

/// <summary>An event waiting in the publisher's database until the relay has Kafka's acknowledgement.</summary>
public sealed class OutboxMessage
{
    /// <summary>Commit order; the relay publishes in this order, which keeps per-key order.</summary>
    public long Sequence { get; set; }
    public Guid EventId { get; set; }
    public string Topic { get; set; } = "";
    public string Key { get; set; } = "";
    public string Type { get; set; } = "";
    public int SchemaVersion { get; set; }
    public string Subject { get; set; } = "";
    public DateTimeOffset OccurredAt { get; set; }
    public string Data { get; set; } = "";
    public string? TraceParent { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
}
