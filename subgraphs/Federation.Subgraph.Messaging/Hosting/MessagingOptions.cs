namespace Federation.Subgraph.Messaging.Hosting;

/// <summary>Bound from the <c>Messaging</c> section; the broker address comes from <c>Kafka:BootstrapServers</c>.</summary>
public sealed class MessagingOptions
{
    public const string Section = "Messaging";

    /// <summary>The envelope's <c>source</c>, the consumer group and the DLQ suffix.</summary>
    public string Service { get; set; } = "";

    public string? BootstrapServers { get; set; }

    /// <summary>Defaults to <see cref="Service"/>: one consumer group per service.</summary>
    public string? GroupId { get; set; }

    public RelayOptions Relay { get; set; } = new();

    public ConsumerOptions Consumer { get; set; } = new();

    public string EffectiveGroupId => string.IsNullOrWhiteSpace(GroupId) ? Service : GroupId;

    public string DeadLetterTopic(string topic) => $"{topic}.dlq.{Service}";
}

public sealed class RelayOptions
{
    public bool Enabled { get; set; } = true;
    public int BatchSize { get; set; } = 500;
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Sent rows are deleted after this long; they only serve audits and republishing by hand.</summary>
    public TimeSpan SentRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long librdkafka retries one message before reporting it failed; the relay then retries the row.</summary>
    public TimeSpan MessageTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

public sealed class ConsumerOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Attempts per message before it goes to the dead-letter topic.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>
    /// Most messages applied in one database transaction when a backlog is waiting (one inbox insert, one commit and
    /// one offset commit for all of them); a message arriving alone is applied on its own. 1 turns batching off.
    /// </summary>
    public int BatchSize { get; set; } = 100;

    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromMilliseconds(200);
    public int SessionTimeoutMs { get; set; } = 10_000;

    /// <summary>
    /// Longest a fetch waits for data. Kafka answers as soon as data arrives anyway; librdkafka's mock
    /// cluster waits the full time, which would add up to this much latency per event.
    /// </summary>
    public int FetchWaitMaxMs { get; set; } = 100;

    /// <summary>
    /// How often the consumer re-reads topic metadata. A subscribed topic that does not exist yet (nobody has
    /// published to it) is only picked up at a refresh; librdkafka's default is 5 minutes.
    /// </summary>
    public int MetadataRefreshMs { get; set; } = 2_000;

    /// <summary>Total lag above which the health check reports Degraded.</summary>
    public long LagDegradedThreshold { get; set; } = 10_000;
}
