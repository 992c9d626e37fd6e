using System.Collections.Concurrent;
using Federation.Subgraph.Health;
using Federation.Subgraph.Messaging;

namespace Federation.Subgraph.Messaging.Hosting;

/// <summary>Counters and consumer lag the relay and the consumer keep up to date, read by the health check.</summary>
public sealed class MessagingStatus
{
    private readonly ConcurrentDictionary<(string Topic, int Partition), long> lag = new();
    private readonly ConcurrentDictionary<string, DeadLetterCount> deadLetterTopics = new();
    private long published;
    private long publishFailures;
    private long applied;
    private long duplicates;
    private long ignored;
    private long deadLettered;
    private long handlerFailures;
    private readonly double[] latencies = new double[1024];
    private long latencyCount;

    public MessagingStatus() => MessagingTelemetry.Track(this);

    public long Published => Interlocked.Read(ref published);
    public long PublishFailures => Interlocked.Read(ref publishFailures);
    public long Applied => Interlocked.Read(ref applied);
    public long Duplicates => Interlocked.Read(ref duplicates);
    public long Ignored => Interlocked.Read(ref ignored);
    public long DeadLettered => Interlocked.Read(ref deadLettered);
    public long HandlerFailures => Interlocked.Read(ref handlerFailures);

    /// <summary>Unsent outbox rows seen by the relay's last round.</summary>
    public long OutboxPending { get; internal set; }

    /// <summary>When the oldest row still unsent after the relay's last round occurred; null when it left none.</summary>
    public DateTimeOffset? OutboxOldest { get; internal set; }

    public long TotalLag => lag.Values.Sum();

    /// <summary>Messages behind the high watermark, per consumed topic and partition.</summary>
    public IEnumerable<(string Topic, int Partition, long Lag)> LagByPartition =>
        lag.Select(entry => (entry.Key.Topic, entry.Key.Partition, entry.Value));

    internal void AddPublished(int count) => Interlocked.Add(ref published, count);
    internal void AddPublishFailures(int count) => Interlocked.Add(ref publishFailures, count);
    internal void CountApplied() => Interlocked.Increment(ref applied);
    internal void CountDuplicate() => Interlocked.Increment(ref duplicates);
    internal void CountIgnored() => Interlocked.Increment(ref ignored);
    /// <param name="error">The innermost exception's message: an EF Core save failure's own says only "see the inner exception".</param>
    internal void CountDeadLettered(string topic, string deadLetterTopic, string error)
    {
        error = error.Length > 500 ? error[..500] : error;
        Interlocked.Increment(ref deadLettered);
        deadLetterTopics.AddOrUpdate(
            topic,
            _ => new DeadLetterCount(topic, deadLetterTopic, 1, DateTimeOffset.UtcNow, error),
            (_, previous) => previous with { Count = previous.Count + 1, LastAt = DateTimeOffset.UtcNow, LastError = error });
    }

    /// <summary>Dead-lettered events per consumed topic since the process started.</summary>
    public IReadOnlyList<DeadLetterCount> DeadLetters => [.. deadLetterTopics.Values.OrderBy(d => d.Topic, StringComparer.Ordinal)];
    internal void CountHandlerFailure() => Interlocked.Increment(ref handlerFailures);
    /// <summary>Records occurredAt-to-applied time of an event: outbox commit, relay, Kafka, consumer and handler together.</summary>
    internal void RecordLatency(TimeSpan latency)
    {
        lock (latencies)
        {
            latencies[latencyCount++ % latencies.Length] = latency.TotalMilliseconds;
        }
    }

    /// <summary>Percentile (0..100) of the last 1,024 end-to-end latencies in milliseconds; 0 before the first event.</summary>
    public double LatencyPercentile(double percentile)
    {
        double[] window;
        lock (latencies)
        {
            window = latencies.Take((int)Math.Min(latencyCount, latencies.Length)).ToArray();
        }
        if (window.Length == 0)
            return 0;
        Array.Sort(window);
        return window[(int)Math.Clamp(Math.Ceiling(percentile / 100 * window.Length) - 1, 0, window.Length - 1)];
    }

    internal void SetLag(string topic, int partition, long value) => lag[(topic, partition)] = Math.Max(0, value);
    internal void RemoveLag(string topic, int partition) => lag.TryRemove((topic, partition), out _);

    public IReadOnlyDictionary<string, object> Snapshot() => new Dictionary<string, object>
    {
        ["published"] = Published,
        ["publishFailures"] = PublishFailures,
        ["outboxPending"] = OutboxPending,
        ["applied"] = Applied,
        ["duplicates"] = Duplicates,
        ["ignored"] = Ignored,
        ["deadLettered"] = DeadLettered,
        ["handlerFailures"] = HandlerFailures,
        ["lag"] = TotalLag,
        ["latencyP50Ms"] = LatencyPercentile(50),
        ["latencyP99Ms"] = LatencyPercentile(99),
        ["lagByPartition"] = new SortedDictionary<string, long>(lag.ToDictionary(entry => $"{entry.Key.Topic}[{entry.Key.Partition}]", entry => entry.Value)),
    };
}
