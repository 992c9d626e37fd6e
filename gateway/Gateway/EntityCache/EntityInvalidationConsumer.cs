using System.Globalization;
using System.Text.Json;
using Confluent.Kafka;
using Federation.Gateway.Caching.Entities;
using Federation.Kafka;

namespace Federation.Gateway.Host.EntityCache;

/// <summary>
/// Invalidates the entity cache from the domain topics (<see cref="EntityInvalidations"/>). Every gateway process reads
/// every partition itself: partitions are assigned, never shared through a consumer group, because each replica must
/// see every event; positions are never committed. Partitions present at start are read from their end offset then,
/// partitions and topics that appear later from their beginning (all of it is newer than the start).
/// </summary>
public sealed partial class EntityInvalidationConsumer(string bootstrapServers, RedisEntityCache cache, ILogger<EntityInvalidationConsumer> logger)
    : BackgroundService
{
    private static readonly TimeSpan MetadataTimeout = TimeSpan.FromSeconds(5);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Run(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken stoppingToken)
    {
        KafkaNativeLibrary.EnsureLoaded();
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            ClientId = "federation-gateway-entity-cache",

            // librdkafka wants a group id; it is unique and never joined (assign, not subscribe) nor committed to.
            GroupId = $"federation-gateway-entity-cache-{Guid.NewGuid():N}",
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            AllowAutoCreateTopics = false,

            // Kafka answers a fetch as soon as data arrives; librdkafka's mock cluster (the embedded default) holds every
            // fetch for the whole wait, which librdkafka's default of 500 ms would add to an invalidation's delay. An
            // idle fetch every 100 ms costs next to nothing; the subgraphs' consumers wait as long (Messaging:Consumer).
            FetchWaitMaxMs = 100,
        };
        using var consumer = new ConsumerBuilder<Ignore, byte[]>(config)
            .SetErrorHandler((_, error) => KafkaError(logger, error.Reason))
            .Build();
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        var assigned = new HashSet<TopicPartition>();
        var first = true;
        var consuming = false;
        var nextCheck = DateTime.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            if (DateTime.UtcNow >= nextCheck)
            {
                var complete = Assign(consumer, admin, assigned, first);
                first = false;
                if (complete && !consuming)
                {
                    consuming = true;
                    Consuming(logger, string.Join(", ", EntityInvalidations.Topics));
                }

                nextCheck = DateTime.UtcNow + (complete ? TimeSpan.FromSeconds(30) : TimeSpan.FromSeconds(1));
            }

            if (assigned.Count == 0)
            {
                stoppingToken.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(200));
                continue;
            }

            ConsumeResult<Ignore, byte[]>? result;
            try
            {
                result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            }
            catch (ConsumeException e)
            {
                KafkaError(logger, e.Error.Reason);
                continue;
            }

            if (result?.Message?.Value is { } value)
            {
                Handle(value, stoppingToken);
            }
        }
    }

    /// <summary>Assigns the partitions not assigned yet; true when every consumed topic was found.</summary>
    private bool Assign(IConsumer<Ignore, byte[]> consumer, IAdminClient admin, HashSet<TopicPartition> assigned, bool atStart)
    {
        var complete = true;
        var added = new List<TopicPartitionOffset>();
        foreach (var topic in EntityInvalidations.Topics)
        {
            List<TopicPartition> partitions;
            try
            {
                var metadata = admin.GetMetadata(topic, MetadataTimeout).Topics.FirstOrDefault(t => t.Topic == topic);
                if (metadata is null || metadata.Error.IsError || metadata.Partitions.Count == 0)
                {
                    complete = false;
                    continue;
                }

                partitions = [.. metadata.Partitions.Select(p => new TopicPartition(topic, p.PartitionId))];
            }
            catch (KafkaException e)
            {
                KafkaError(logger, e.Error.Reason);
                complete = false;
                continue;
            }

            foreach (var partition in partitions.Where(p => !assigned.Contains(p)))
            {
                // The end offset read now, not Offset.End (resolved whenever the fetcher starts): events published after
                // this call are never skipped.
                var offset = atStart ? consumer.QueryWatermarkOffsets(partition, MetadataTimeout).High : Offset.Beginning;
                added.Add(new TopicPartitionOffset(partition, offset));
                assigned.Add(partition);
            }
        }

        if (added.Count > 0)
        {
            consumer.IncrementalAssign(added);
            Assigning(logger, added.Count, string.Join(", ", added.Select(a => a.TopicPartition.Topic).Distinct()));
        }

        return complete;
    }

    private void Handle(byte[] value, CancellationToken stoppingToken)
    {
        if (Read(value) is not { } change)
        {
            return;
        }

        // Redis unreachable: retry rather than move on, so no invalidation is lost (reads miss meanwhile anyway).
        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                cache.InvalidateAsync(change.Entities).GetAwaiter().GetResult();
                break;
            }
            catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
            {
                InvalidationFailed(logger, change.EventType, attempt, e.Message);
                stoppingToken.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(Math.Min(100 * attempt, 2000)));
            }
        }

        foreach (var (subgraph, typeName, _) in change.Entities)
        {
            EntityCacheTelemetry.CountInvalidation(subgraph, typeName, "event");
        }

        if (change.OccurredAt is { } occurredAt)
        {
            EntityCacheTelemetry.RecordLag(change.EventType, DateTimeOffset.UtcNow - occurredAt);
        }
    }

    /// <summary>The entities an event envelope names, or null for an event that changes nothing cached (or is not an envelope).</summary>
    internal static EntityChange? Read(byte[] value)
    {
        try
        {
            using var document = JsonDocument.Parse(value);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String
                || !EntityInvalidations.ByEventType.TryGetValue(type.GetString()!, out var mapping)
                || !root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var entities = new List<(string, string, string?)>();
            foreach (var entity in mapping.Entities)
            {
                if (data.TryGetProperty(entity.KeyProperty, out var key) && KeyText(key) is { } id)
                {
                    entities.Add((entity.Subgraph, entity.TypeName, id));
                }
            }

            DateTimeOffset? occurredAt = root.TryGetProperty("occurredAt", out var occurred) && occurred.ValueKind == JsonValueKind.String
                && occurred.TryGetDateTimeOffset(out var at) ? at : null;
            return entities.Count > 0 ? new EntityChange(type.GetString()!, entities, occurredAt) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A key as the subgraphs' <c>ID</c> fields answer it: integers as their digits, strings as they are.</summary>
    private static string? KeyText(JsonElement key) => key.ValueKind switch
    {
        JsonValueKind.Number when key.TryGetInt64(out var number) => number.ToString(CultureInfo.InvariantCulture),
        JsonValueKind.String => key.GetString(),
        _ => null,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Entity cache invalidation reads {Count} more partitions ({Topics}).")]
    private static partial void Assigning(ILogger logger, int count, string topics);

    [LoggerMessage(Level = LogLevel.Information, Message = "Entity cache invalidation consumes every partition of {Topics}.")]
    private static partial void Consuming(ILogger logger, string topics);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Entity cache invalidation: Kafka reported {Reason}.")]
    private static partial void KafkaError(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Entity cache invalidation for {EventType} failed (attempt {Attempt}): {Reason}; retrying.")]
    private static partial void InvalidationFailed(ILogger logger, string eventType, int attempt, string reason);
}

internal sealed record EntityChange(string EventType, IReadOnlyList<(string Subgraph, string TypeName, string? Id)> Entities, DateTimeOffset? OccurredAt);
