using System.Globalization;
using System.Text.Json;
using Confluent.Kafka;
using Federation.Gateway.Caching.Entities;
using Federation.Gateway.Host.Events;

namespace Federation.Gateway.Host.EntityCache;

/// <summary>
/// Invalidates the entity cache from the domain topics (<see cref="EntityInvalidations"/>), read by the process's one
/// Kafka consumer (<see cref="DomainEventConsumer"/>).
/// </summary>
public sealed partial class EntityInvalidationConsumer(RedisEntityCache cache, ILogger<EntityInvalidationConsumer> logger) : IDomainEventHandler
{
    public IReadOnlyCollection<string> Topics => EntityInvalidations.Topics;

    public void Assigned(string topic, IReadOnlyList<TopicPartitionOffset> partitions)
    {
        if (partitions.Count > 0)
        {
            Assigning(logger, partitions.Count, topic);
        }
    }

    public void Consuming(IReadOnlyCollection<string> topics) => Consuming(logger, string.Join(", ", topics));

    public void Handle(ConsumeResult<Ignore, byte[]> result, CancellationToken stoppingToken) => Handle(result.Message.Value, stoppingToken);

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Entity cache invalidation for {EventType} failed (attempt {Attempt}): {Reason}; retrying.")]
    private static partial void InvalidationFailed(ILogger logger, string eventType, int attempt, string reason);
}

internal sealed record EntityChange(string EventType, IReadOnlyList<(string Subgraph, string TypeName, string? Id)> Entities, DateTimeOffset? OccurredAt);
