using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Federation.Subgraph.Health;

/// <summary>One subgraph process as it sees itself when the gateway asks <c>platform { &lt;subgraph&gt; }</c>.</summary>
public sealed record ServiceHealth(
    string Service,
    string Instance,
    DateTimeOffset StartedAt,
    DateTimeOffset CheckedAt,
    HealthStatus Status,
    IReadOnlyList<HealthCheckEntry> Checks);

public sealed record HealthCheckEntry(string Name, HealthStatus Status, string? Description, double DurationMs);

/// <summary>The messaging kit's counters and consumer lag, read in memory; the outbox backlog comes from the database.</summary>
public sealed record MessagingHealth(
    bool BrokerConfigured,
    string ConsumerGroup,
    IReadOnlyList<PartitionLag> ConsumerLag,
    IReadOnlyList<DeadLetterCount> DeadLetters,
    long Published,
    long PublishFailures,
    long Applied,
    long HandlerFailures,
    double EventLatencyP99Ms)
{
    public long TotalLag => ConsumerLag.Sum(p => p.Lag);
}

public sealed record PartitionLag(string Topic, int Partition, long Lag);

public sealed record DeadLetterCount(string Topic, string DeadLetterTopic, long Count, DateTimeOffset LastAt, string? LastError);

/// <param name="OldestOccurredAt">When the oldest unsent event occurred; null when the outbox is drained.</param>
public sealed record OutboxBacklog(long Pending, DateTimeOffset? OldestOccurredAt, int OldestAttempts, string? OldestLastError);

/// <summary>Registered by the messaging kit; a subgraph without it reports no messaging.</summary>
public interface IMessagingHealthSource
{
    MessagingHealth Read();

    /// <summary>The unsent outbox rows as the database has them, not as the relay last saw them.</summary>
    Task<OutboxBacklog> ReadOutboxAsync(CancellationToken cancellationToken);
}
