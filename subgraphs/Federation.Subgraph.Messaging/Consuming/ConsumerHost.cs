using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Federation.Kafka;
using Federation.Subgraph.Messaging.Events;
using Federation.Subgraph.Messaging.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Federation.Subgraph.Messaging.Consuming;

/// <summary>
/// The service's consumer group: each message is applied in one database transaction together with its
/// inbox row (messages already fetched share one, see <see cref="TryProcessBatchAsync"/>), and its offset is committed
/// only after that transaction (or the dead-letter write) succeeded. A crash between the two redelivers the message,
/// which the inbox turns into a no-op.
/// </summary>
internal sealed partial class ConsumerHost<TContext>(
    IDbContextFactory<TContext> contexts,
    IServiceScopeFactory scopes,
    EventSubscriptions<TContext> subscriptions,
    MessagingOptions options,
    MessagingStatus status,
    ILogger<ConsumerHost<TContext>> logger) : BackgroundService
    where TContext : DbContext
{
    private static readonly TimeSpan LagRefresh = TimeSpan.FromSeconds(1);

    /// <summary>The inbox's and the metrics' type of a message read raw, which may not be an envelope at all.</summary>
    private const string RawMessageType = "message";

    // Consume blocks its thread; keep it off the thread pool the web server relies on.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => RunAsync(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        KafkaNativeLibrary.EnsureLoaded();
        using var consumer = new ConsumerBuilder<string, byte[]>(ConsumerConfig())
            .SetPartitionsAssignedHandler((_, partitions) => LogAssigned(options.EffectiveGroupId, Describe(partitions)))
            .SetPartitionsRevokedHandler((_, partitions) =>
            {
                partitions.ForEach(p => status.RemoveLag(p.Topic, p.Partition.Value));
                LogRevoked(options.EffectiveGroupId, Describe(partitions.Select(p => p.TopicPartition)));
            })
            .SetPartitionsLostHandler((_, partitions) => partitions.ForEach(p => status.RemoveLag(p.Topic, p.Partition.Value)))
            .SetErrorHandler((_, error) => LogKafkaError(error.Code.ToString(), error.Reason))
            .SetLogHandler((_, message) => LogKafka(message.Level.ToString(), message.Message))
            .Build();
        using var deadLetters = new ProducerBuilder<string, byte[]>(DeadLetterProducerConfig()).Build();
        consumer.Subscribe(subscriptions.Topics);
        LogSubscribed(options.EffectiveGroupId, string.Join(", ", subscriptions.Topics));

        var nextLagRefresh = DateTime.UtcNow;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (DateTime.UtcNow >= nextLagRefresh)
                {
                    RefreshLag(consumer);
                    nextLagRefresh = DateTime.UtcNow + LagRefresh;
                }

                ConsumeResult<string, byte[]>? result;
                try
                {
                    result = consumer.Consume(TimeSpan.FromMilliseconds(250));
                }
                catch (ConsumeException exception) when (!exception.Error.IsFatal)
                {
                    // Typically a topic nobody has produced to yet; the subscription picks it up once it exists.
                    LogKafkaError(exception.Error.Code.ToString(), exception.Error.Reason);
                    continue;
                }

                if (result is null || result.IsPartitionEOF)
                    continue;

                var batch = CollectBatch(consumer, result);
                if (batch.Count == 1 || !await TryProcessBatchAsync(batch, stoppingToken))
                {
                    foreach (var message in batch)
                        await ProcessWithRetriesAsync(message, deadLetters, stoppingToken);
                }

                // The next offset of each partition the batch read; Commit(result) commits result's offset + 1 the same way.
                var positions = batch.GroupBy(m => m.TopicPartition)
                    .Select(g => new TopicPartitionOffset(g.Key, g.Max(m => m.Offset.Value) + 1))
                    .ToList();
                try
                {
                    consumer.Commit(positions);
                }
                catch (KafkaException exception) when (!exception.Error.IsFatal)
                {
                    // Lost to a rebalance: the next owner redelivers it and the inbox makes that a no-op.
                    LogCommitFailed(string.Join(", ", positions), exception.Error.Reason);
                }

                foreach (var position in positions)
                {
                    var high = consumer.GetWatermarkOffsets(position.TopicPartition).High;
                    if (high != Offset.Unset)
                        status.SetLag(position.Topic, position.Partition.Value, high.Value - position.Offset.Value);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            consumer.Close();
        }
    }

    /// <summary>
    /// <paramref name="first"/> and whatever else the client has already fetched, up to the batch size: a backlog (a
    /// seed, a consumer catching up after an outage) is read in batches, while a message arriving alone is handled
    /// at once instead of waiting for company.
    /// </summary>
    private List<ConsumeResult<string, byte[]>> CollectBatch(IConsumer<string, byte[]> consumer, ConsumeResult<string, byte[]> first)
    {
        var batch = new List<ConsumeResult<string, byte[]>> { first };
        var size = Math.Max(1, options.Consumer.BatchSize);
        while (batch.Count < size)
        {
            ConsumeResult<string, byte[]>? next;
            try
            {
                next = consumer.Consume(TimeSpan.Zero);
            }
            catch (ConsumeException exception) when (!exception.Error.IsFatal)
            {
                LogKafkaError(exception.Error.Code.ToString(), exception.Error.Reason);
                break;
            }

            if (next is null)
                break;
            if (!next.IsPartitionEOF)
                batch.Add(next);
        }

        return batch;
    }

    /// <summary>
    /// Applies the batch in one transaction: one statement inserts every inbox row (and says which events are new),
    /// then each new event's handler runs in order on one context whose tracked entities are cleared between events,
    /// so a handler sees exactly what it would see if the events before it had been committed one by one. False,
    /// with nothing written, when anything fails (a message that is not an envelope, a handler that throws, the
    /// database): the caller then takes the messages one by one with the retry and dead-letter rules.
    /// </summary>
    private async Task<bool> TryProcessBatchAsync(List<ConsumeResult<string, byte[]>> batch, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var items = new List<BatchItem>(batch.Count);
        foreach (var result in batch)
        {
            try
            {
                items.Add(new BatchItem(result, Resolve(result)));
            }
            catch (InvalidEventException)
            {
                return false;
            }
        }

        var handled = items.Where(i => i.Delivery.Apply is not null).ToList();
        var outer = Activity.Current;
        try
        {
            if (handled.Count > 0)
            {
                await using var db = await contexts.CreateDbContextAsync(cancellationToken);
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                var ids = handled.Select(i => i.Delivery.EventId).ToArray();
                var topics = handled.Select(i => i.Result.Topic).ToArray();
                var types = handled.Select(i => i.Delivery.EventType).ToArray();
                var now = DateTimeOffset.UtcNow;
                var fresh = (await db.Database.SqlQuery<Guid>(
                    $"""
                     INSERT INTO inbox_messages (event_id, topic, type, processed_at)
                     SELECT id, topic, type, {now} FROM unnest({ids}, {topics}, {types}) AS m(id, topic, type)
                     ON CONFLICT (event_id) DO NOTHING
                     RETURNING event_id AS "Value"
                     """).ToListAsync(cancellationToken)).ToHashSet();
                foreach (var item in handled)
                {
                    // Removed once applied: an event twice in one batch is applied once, like a redelivery.
                    if (!fresh.Remove(item.Delivery.EventId))
                    {
                        item.Outcome = Outcome.Duplicate;
                        continue;
                    }

                    // Current while the handler runs, so the outbox rows it writes carry this span on to the next hop;
                    // ended after the commit, with the outcome.
                    item.Activity = MessagingTelemetry.StartProcess(item.Result, item.Delivery.EventId, item.Delivery.EventType, options.EffectiveGroupId, attempt: 1);
                    await using (var scope = scopes.CreateAsyncScope())
                    {
                        await item.Delivery.Apply!(scope.ServiceProvider, db, cancellationToken);
                        await db.SaveChangesAsync(cancellationToken);
                    }

                    db.ChangeTracker.Clear();
                    Activity.Current = outer;
                    item.Outcome = Outcome.Applied;
                }

                await transaction.CommitAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            EndActivities(items, outer, exception: null);
            throw;
        }
        catch (Exception exception)
        {
            EndActivities(items, outer, exception);
            LogBatchRolledBack(exception, batch.Count, batch[0].TopicPartitionOffset.ToString());
            return false;
        }

        var elapsed = Stopwatch.GetElapsedTime(started) / batch.Count;
        foreach (var item in items)
        {
            item.Activity?.SetTag("event.outcome", item.Outcome.ToString().ToLowerInvariant());
            item.Activity?.Dispose();
            Record(item.Result.Topic, item.Delivery, item.Outcome, elapsed);
        }

        Activity.Current = outer;
        return true;
    }

    /// <summary>Ends the spans of a batch that was rolled back; the messages are then processed again one by one, with new spans.</summary>
    private static void EndActivities(List<BatchItem> items, Activity? outer, Exception? exception)
    {
        foreach (var item in items)
        {
            if (item.Activity is not { } activity)
                continue;
            activity.SetTag("event.outcome", "rolled_back");
            if (exception is not null)
                activity.SetStatus(ActivityStatusCode.Error, $"The batch was rolled back ({exception.GetType().Name}); the message is retried on its own.");
            activity.Dispose();
        }

        Activity.Current = outer;
    }

    private sealed class BatchItem(ConsumeResult<string, byte[]> result, Delivery delivery)
    {
        public ConsumeResult<string, byte[]> Result { get; } = result;
        public Delivery Delivery { get; } = delivery;
        public Outcome Outcome { get; set; } = Outcome.Ignored;
        public Activity? Activity { get; set; }
    }

    /// <summary>
    /// What a message is to this service: its inbox id, type and time, and the handler that applies it (null for an
    /// event type nobody here handles). Throws <see cref="InvalidEventException"/> for a value that is not an envelope
    /// on a topic read as events.
    /// </summary>
    private sealed record Delivery(Guid EventId, string EventType, DateTimeOffset OccurredAt, Func<IServiceProvider, TContext, CancellationToken, Task>? Apply);

    private Delivery Resolve(ConsumeResult<string, byte[]> result)
    {
        if (subscriptions.FindMessages(result.Topic) is { } messageHandler)
        {
            var message = ToKafkaMessage(result);
            return new Delivery(message.InboxId, RawMessageType, message.Timestamp, (services, db, ct) => messageHandler(services, db, message, ct));
        }

        var envelope = EventEnvelope.Parse(result.Message.Value);
        var handler = subscriptions.Find(result.Topic, envelope.Type);
        return new Delivery(envelope.Id, envelope.Type, envelope.OccurredAt, handler is null ? null : (services, db, ct) => handler(services, db, envelope, ct));
    }

    /// <summary>The status counters and metrics of one message that was applied, was a duplicate or was ignored.</summary>
    private void Record(string topic, Delivery delivery, Outcome outcome, TimeSpan elapsed)
    {
        switch (outcome)
        {
            case Outcome.Applied:
                status.CountApplied();
                status.RecordLatency(DateTimeOffset.UtcNow - delivery.OccurredAt);
                break;
            case Outcome.Duplicate: status.CountDuplicate(); break;
            default: status.CountIgnored(); break;
        }

        MessagingTelemetry.Processed(topic, delivery.EventType, outcome.ToString().ToLowerInvariant(), elapsed,
            outcome == Outcome.Applied ? delivery.OccurredAt : null);
    }

    private async Task ProcessWithRetriesAsync(ConsumeResult<string, byte[]> result, IProducer<string, byte[]> deadLetters, CancellationToken cancellationToken)
    {
        var budget = Math.Max(1, options.Consumer.MaxAttempts);
        for (var attempt = 1; ; attempt++)
        {
            var started = Stopwatch.GetTimestamp();
            Activity? activity = null;
            string? eventType = null;
            try
            {
                var delivery = Resolve(result);
                eventType = delivery.EventType;
                var outcome = Outcome.Ignored;
                if (delivery.Apply is { } apply)
                {
                    // Current while the handler runs, so the outbox rows it writes carry this span on to the next hop.
                    activity = MessagingTelemetry.StartProcess(result, delivery.EventId, delivery.EventType, options.EffectiveGroupId, attempt);
                    outcome = await ProcessAsync(result, delivery.EventId, delivery.EventType, apply, cancellationToken);
                    activity.SetTag("event.outcome", outcome.ToString().ToLowerInvariant());
                }

                Record(result.Topic, delivery, outcome, Stopwatch.GetElapsedTime(started));
                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception exception)
            {
                status.CountHandlerFailure();
                activity?.AddException(exception);
                activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
                MessagingTelemetry.Processed(result.Topic, eventType, "failed", Stopwatch.GetElapsedTime(started), null);
                var transient = IsTransientDatabaseError(exception);
                if (!transient && (exception is InvalidEventException || attempt >= budget))
                {
                    await DeadLetterAsync(result, exception, attempt, deadLetters, cancellationToken);
                    MessagingTelemetry.DeadLetteredOne(result.Topic, eventType);
                    return;
                }

                // A database that is down is not the message's fault: retry without spending the budget,
                // holding the partition (and its order) until the database is back.
                if (transient)
                    attempt--;
                LogAttemptFailed(exception, result.TopicPartitionOffset.ToString(), attempt);
                MessagingTelemetry.Retrying(result.Topic, eventType);
                activity?.Dispose();
                activity = null;
                await Task.Delay(Backoff(Math.Max(1, attempt)), cancellationToken);
            }
            finally
            {
                activity?.Dispose();
            }
        }
    }

    private async Task<Outcome> ProcessAsync(ConsumeResult<string, byte[]> result, Guid eventId, string eventType, Func<IServiceProvider, TContext, CancellationToken, Task> apply, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var fresh = await db.Database.ExecuteSqlAsync(
            $"""
             INSERT INTO inbox_messages (event_id, topic, type, processed_at)
             VALUES ({eventId}, {result.Topic}, {eventType}, {DateTimeOffset.UtcNow})
             ON CONFLICT (event_id) DO NOTHING
             """,
            cancellationToken);
        if (fresh == 0)
            return Outcome.Duplicate;

        await apply(scope.ServiceProvider, db, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Outcome.Applied;
    }

    private async Task DeadLetterAsync(ConsumeResult<string, byte[]> result, Exception exception, int attempts, IProducer<string, byte[]> producer, CancellationToken cancellationToken)
    {
        var topic = options.DeadLetterTopic(result.Topic);
        var headers = new Headers();
        foreach (var header in result.Message.Headers ?? [])
            headers.Add(header.Key, header.GetValueBytes());
        AddHeader(headers, "dlq-error-type", exception.GetType().FullName ?? exception.GetType().Name);
        AddHeader(headers, "dlq-error-message", exception.Message.Length > 2000 ? exception.Message[..2000] : exception.Message);
        AddHeader(headers, "dlq-attempts", attempts.ToString(CultureInfo.InvariantCulture));
        AddHeader(headers, "dlq-original-topic", result.Topic);
        AddHeader(headers, "dlq-original-partition", result.Partition.Value.ToString(CultureInfo.InvariantCulture));
        AddHeader(headers, "dlq-original-offset", result.Offset.Value.ToString(CultureInfo.InvariantCulture));
        AddHeader(headers, "dlq-consumer-group", options.EffectiveGroupId);
        AddHeader(headers, "dlq-failed-at", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
        var message = new Message<string, byte[]> { Key = result.Message.Key, Value = result.Message.Value, Headers = headers };

        // The offset is committed after this returns, so the message must be safely in the DLQ first.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await producer.ProduceAsync(topic, message, cancellationToken);
                status.CountDeadLettered(result.Topic, topic, exception.GetBaseException().Message);
                LogDeadLettered(exception, result.TopicPartitionOffset.ToString(), topic, attempts);
                return;
            }
            catch (ProduceException<string, byte[]> produceException)
            {
                LogDeadLetterFailed(topic, produceException.Error.Reason);
                await Task.Delay(Backoff(attempt), cancellationToken);
            }
        }
    }

    private void RefreshLag(IConsumer<string, byte[]> consumer)
    {
        foreach (var partition in consumer.Assignment)
        {
            var high = consumer.GetWatermarkOffsets(partition).High;
            var position = consumer.Position(partition);
            if (high != Offset.Unset && position != Offset.Unset)
                status.SetLag(partition.Topic, partition.Partition.Value, high.Value - position.Value);
        }
    }

    private TimeSpan Backoff(int attempt) =>
        TimeSpan.FromMilliseconds(Math.Min(30_000, options.Consumer.RetryBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 10))));

    private static bool IsTransientDatabaseError(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is DbException { IsTransient: true })
                return true;
        }
        return false;
    }

    private static KafkaMessage ToKafkaMessage(ConsumeResult<string, byte[]> result)
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var header in result.Message.Headers ?? [])
            headers[header.Key] = Encoding.UTF8.GetString(header.GetValueBytes());
        return new KafkaMessage(result.Topic, result.Partition.Value, result.Offset.Value, result.Message.Key, headers,
            result.Message.Value ?? [], result.Message.Timestamp.UtcDateTime);
    }

    private static void AddHeader(Headers headers, string key, string value) => headers.Add(key, Encoding.UTF8.GetBytes(value));

    private ConsumerConfig ConsumerConfig() => new()
    {
        BootstrapServers = options.BootstrapServers,
        GroupId = options.EffectiveGroupId,
        ClientId = $"{options.Service}-consumer",
        EnableAutoCommit = false,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        AllowAutoCreateTopics = true,
        SessionTimeoutMs = options.Consumer.SessionTimeoutMs,
        HeartbeatIntervalMs = Math.Max(100, options.Consumer.SessionTimeoutMs / 6),
        FetchWaitMaxMs = options.Consumer.FetchWaitMaxMs,
        TopicMetadataRefreshIntervalMs = options.Consumer.MetadataRefreshMs,
    };

    private ProducerConfig DeadLetterProducerConfig() => new()
    {
        BootstrapServers = options.BootstrapServers,
        ClientId = $"{options.Service}-dead-letters",
        Acks = Acks.All,
        EnableIdempotence = true,
        AllowAutoCreateTopics = true,
    };

    private enum Outcome
    {
        Applied,
        Duplicate,
        Ignored,
    }

    /// <summary><c>orders.v1[0,2], payments.v1[1]</c>, or <c>nothing</c>: how a rebalance split the partitions, in the log.</summary>
    private static string Describe(IEnumerable<TopicPartition> partitions)
    {
        var text = string.Join(", ", partitions.GroupBy(p => p.Topic).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key}[{string.Join(',', g.Select(p => p.Partition.Value).Order())}]"));
        return text.Length == 0 ? "nothing" : text;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Consumer group {Group} assigned this replica {Partitions}")]
    private partial void LogAssigned(string group, string partitions);

    [LoggerMessage(Level = LogLevel.Information, Message = "Consumer group {Group} revoked from this replica {Partitions}")]
    private partial void LogRevoked(string group, string partitions);

    [LoggerMessage(Level = LogLevel.Information, Message = "Consumer group {Group} subscribed to {Topics}")]
    private partial void LogSubscribed(string group, string topics);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Processing {Position} failed (attempt {Attempt}); retrying")]
    private partial void LogAttemptFailed(Exception exception, string position, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Dead-lettered {Position} to {Topic} after {Attempts} attempts")]
    private partial void LogDeadLettered(Exception exception, string position, string topic, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing to dead-letter topic {Topic} failed ({Reason}); retrying")]
    private partial void LogDeadLetterFailed(string topic, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} messages from {Position} was rolled back; applying them one by one")]
    private partial void LogBatchRolledBack(Exception exception, int count, string position);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Committing {Position} failed ({Reason}); it will be redelivered")]
    private partial void LogCommitFailed(string position, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka consumer error {Code}: {Reason}")]
    private partial void LogKafkaError(string code, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "librdkafka {Level}: {Message}")]
    private partial void LogKafka(string level, string message);
}
