using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Confluent.Kafka;
using Federation.Gateway.Caching.Entities;
using Federation.Gateway.Host.Events;

namespace Federation.Gateway.Host.EntityCache;

/// <summary>
/// Invalidates the entity cache from the domain topics (<see cref="EntityInvalidations"/>), read by the process's one
/// Kafka consumer (<see cref="DomainEventConsumer"/>). The consumer only queues each change: a worker applies them in
/// order and retries while Redis is unreachable, so an outage never holds the consumer thread, which the event-driven
/// subscriptions share. The queue is bounded; a change that does not fit turns into the invalidation of its whole type,
/// applied after the queue, so an outage costs cached entries, never a stale one.
/// </summary>
/// <param name="capacity">Changes waiting for Redis at most, beyond the one being applied.</param>
public sealed partial class EntityInvalidationConsumer(RedisEntityCache cache, ILogger<EntityInvalidationConsumer> logger, int capacity = 10_000)
    : BackgroundService, IDomainEventHandler
{
    private readonly Channel<EntityChange> _changes = Channel.CreateBounded<EntityChange>(
        new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });

    // (subgraph, type) of changes that did not fit the queue: the worker makes every entry of those types stale.
    private readonly ConcurrentDictionary<(string Subgraph, string TypeName), string> _overflowed = new();

    public IReadOnlyCollection<string> Topics => EntityInvalidations.Topics;

    /// <summary>Changes waiting for the worker.</summary>
    public int Pending => _changes.Reader.Count;

    public void Assigned(string topic, IReadOnlyList<TopicPartitionOffset> partitions)
    {
        if (partitions.Count > 0)
        {
            Assigning(logger, partitions.Count, topic);
        }
    }

    public void Consuming(IReadOnlyCollection<string> topics) => Consuming(logger, string.Join(", ", topics));

    public void Handle(ConsumeResult<Ignore, byte[]> result, CancellationToken stoppingToken) => Handle(result.Message.Value);

    /// <summary>Queues the change the event makes; never waits for Redis.</summary>
    public void Handle(byte[] value)
    {
        if (Read(value) is not { } change || _changes.Writer.TryWrite(change))
        {
            return;
        }

        foreach (var (subgraph, typeName, _) in change.Entities)
        {
            if (_overflowed.TryAdd((subgraph, typeName), change.EventType))
            {
                QueueFull(logger, capacity, subgraph, typeName);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _changes.Reader.WaitToReadAsync(stoppingToken))
            {
                while (_changes.Reader.TryRead(out var change))
                {
                    await ApplyAsync(change, stoppingToken);
                }

                foreach (var type in _overflowed.Keys)
                {
                    _overflowed.TryRemove(type, out var eventType);
                    await ApplyAsync(new EntityChange(eventType!, [(type.Subgraph, type.TypeName, null)], null), stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Redis unreachable: retried rather than skipped, so no invalidation is lost (reads miss meanwhile anyway).</summary>
    private async Task ApplyAsync(EntityChange change, CancellationToken stoppingToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await cache.InvalidateAsync(change.Entities);
                break;
            }
            catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
            {
                InvalidationFailed(logger, change.EventType, attempt, e.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(100 * attempt, 2000)), stoppingToken);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Entity cache invalidation: {Capacity} changes already wait for Redis; every {Subgraph} {TypeName} entry will be made stale once it answers.")]
    private static partial void QueueFull(ILogger logger, int capacity, string subgraph, string typeName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Entity cache invalidation for {EventType} failed (attempt {Attempt}): {Reason}; retrying.")]
    private static partial void InvalidationFailed(ILogger logger, string eventType, int attempt, string reason);
}

internal sealed record EntityChange(string EventType, IReadOnlyList<(string Subgraph, string TypeName, string? Id)> Entities, DateTimeOffset? OccurredAt);
