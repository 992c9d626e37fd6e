using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using Federation.Kafka;
using Federation.Subgraph.Messaging.Events;
using Federation.Subgraph.Messaging.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Federation.Subgraph.Messaging.Outbox;

/// <summary>
/// Publishes unsent outbox rows in commit order and marks them sent once Kafka acknowledged them
/// (acks=all). A row is only ever marked sent after its acknowledgement, so a crash at any point
/// republishes rather than loses it; consumers deduplicate on the event id.
/// </summary>
internal sealed partial class OutboxRelay<TContext>(
    IDbContextFactory<TContext> contexts,
    OutboxSignal signal,
    MessagingOptions options,
    MessagingStatus status,
    ILogger<OutboxRelay<TContext>> logger) : BackgroundService
    where TContext : DbContext
{
    // One relay per database at a time: two would interleave the rows of one key.
    private const long RelayLockId = 0x6F7574626F78; // "outbox"
    private static readonly TimeSpan CleanupInterval = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        KafkaNativeLibrary.EnsureLoaded();
        using var producer = new ProducerBuilder<string, byte[]>(ProducerConfig())
            .SetLogHandler((_, message) => LogKafka(message.Level.ToString(), message.Message))
            .Build();
        var relay = options.Relay;
        var failures = 0;
        var nextCleanup = DateTime.UtcNow;
        while (!stoppingToken.IsCancellationRequested)
        {
            Round round;
            try
            {
                round = await PublishBatchAsync(producer, stoppingToken);
                if (DateTime.UtcNow >= nextCleanup)
                {
                    await DeleteSentAsync(stoppingToken);
                    nextCleanup = DateTime.UtcNow + CleanupInterval;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                LogRoundFailed(exception);
                round = new Round(0, Failed: true, Full: false);
            }

            failures = round.Failed ? failures + 1 : 0;
            try
            {
                if (failures > 0)
                    await Task.Delay(Backoff(failures, relay.MaxBackoff), stoppingToken);
                else if (!round.Full)
                    await signal.WaitAsync(relay.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        producer.Flush(TimeSpan.FromSeconds(5));
    }

    private async Task<Round> PublishBatchAsync(IProducer<string, byte[]> producer, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var locked = await db.Database
            .SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock({RelayLockId}) AS \"Value\"")
            .SingleAsync(cancellationToken);
        if (!locked)
            return new Round(0, Failed: false, Full: false);

        var batch = await db.Set<OutboxMessage>()
            .Where(m => m.SentAt == null)
            .OrderBy(m => m.Sequence)
            .Take(options.Relay.BatchSize)
            .AsNoTracking()
            .ToListAsync(cancellationToken);
        status.OutboxPending = batch.Count;
        status.OutboxOldest = batch.Count == 0 ? null : batch[0].OccurredAt;
        if (batch.Count == 0)
            return new Round(0, Failed: false, Full: false);

        // ProduceAsync enqueues synchronously, so the calls keep commit order. With idempotence on, librdkafka
        // fails every later message of a partition once one fails, so failures are a suffix per key and the
        // retry of the next round republishes them in order.
        var deliveries = batch.Select(row =>
        {
            var activity = MessagingTelemetry.StartPublish(row, options.Service);
            var delivery = producer.ProduceAsync(row.Topic, ToMessage(row, activity), cancellationToken);

            // Each row's span is its own child of the row's writer, never of the previous row's span.
            Activity.Current = null;
            return (Row: row, Activity: activity, Started: Stopwatch.GetTimestamp(), Delivery: delivery);
        }).ToList();
        var sent = new List<long>(batch.Count);
        var failed = new List<long>();
        string? lastError = null;
        foreach (var (row, activity, started, delivery) in deliveries)
        {
            try
            {
                var delivered = await delivery;
                sent.Add(row.Sequence);
                MessagingTelemetry.Publishing(row, activity, Stopwatch.GetElapsedTime(started), delivered, null);
            }
            catch (ProduceException<string, byte[]> exception)
            {
                failed.Add(row.Sequence);
                lastError = $"{exception.Error.Code}: {exception.Error.Reason}";
                MessagingTelemetry.Publishing(row, activity, Stopwatch.GetElapsedTime(started), null, lastError);
            }
        }

        var now = DateTimeOffset.UtcNow;
        if (sent.Count > 0)
        {
            await db.Set<OutboxMessage>().Where(m => sent.Contains(m.Sequence))
                .ExecuteUpdateAsync(set => set.SetProperty(m => m.SentAt, now), cancellationToken);
        }

        if (failed.Count > 0)
        {
            await db.Set<OutboxMessage>().Where(m => failed.Contains(m.Sequence))
                .ExecuteUpdateAsync(set => set.SetProperty(m => m.Attempts, m => m.Attempts + 1).SetProperty(m => m.LastError, lastError), cancellationToken);
            LogPublishFailed(failed.Count, lastError);
        }

        await transaction.CommitAsync(cancellationToken);
        status.AddPublished(sent.Count);
        status.AddPublishFailures(failed.Count);
        status.OutboxPending = batch.Count - sent.Count;
        status.OutboxOldest = batch.FirstOrDefault(row => failed.Contains(row.Sequence))?.OccurredAt;
        return new Round(sent.Count, Failed: failed.Count > 0, Full: batch.Count == options.Relay.BatchSize);
    }

    private async Task DeleteSentAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var cutoff = DateTimeOffset.UtcNow - options.Relay.SentRetention;
        await db.Set<OutboxMessage>().Where(m => m.SentAt != null && m.SentAt < cutoff).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>The message carries the producer span's context when there is one, else the writer's stored context.</summary>
    private Message<string, byte[]> ToMessage(OutboxMessage row, Activity? publish) => new()
    {
        Key = row.Key,
        Value = Outbox.ToEnvelope(row, options.Service).ToUtf8Bytes(),
        Headers = new Headers { { TraceParent.HeaderName, Encoding.ASCII.GetBytes(publish?.Id ?? row.TraceParent ?? TraceParent.CurrentOrNew()) } },
    };

    private ProducerConfig ProducerConfig() => new()
    {
        BootstrapServers = options.BootstrapServers,
        ClientId = $"{options.Service}-outbox-relay",
        Acks = Acks.All,
        EnableIdempotence = true,
        MaxInFlight = 5,
        LingerMs = 5,
        MessageTimeoutMs = (int)options.Relay.MessageTimeout.TotalMilliseconds,
        AllowAutoCreateTopics = true,
    };

    internal static TimeSpan Backoff(int failures, TimeSpan max)
    {
        var delay = TimeSpan.FromMilliseconds(200 * Math.Pow(2, Math.Min(failures - 1, 10)));
        // Jitter keeps replicas of several services from retrying in lockstep against a recovering broker.
        return TimeSpan.FromMilliseconds(Math.Min(max.TotalMilliseconds, delay.TotalMilliseconds) * (0.8 + Random.Shared.NextDouble() * 0.4));
    }

    private readonly record struct Round(int Published, bool Failed, bool Full);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox relay round failed; backing off")]
    private partial void LogRoundFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox relay could not publish {Count} rows ({Error}); they stay unsent and are retried")]
    private partial void LogPublishFailed(int count, string? error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "librdkafka {Level}: {Message}")]
    private partial void LogKafka(string level, string message);
}
