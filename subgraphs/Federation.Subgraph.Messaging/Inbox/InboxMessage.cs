namespace Federation.Subgraph.Messaging.Inbox;

/// <summary>An event this service has applied; its primary key makes a redelivery a no-op.</summary>
public sealed class InboxMessage
{
    public Guid EventId { get; set; }
    public string Topic { get; set; } = "";
    public string Type { get; set; } = "";
    public DateTimeOffset ProcessedAt { get; set; }
}
