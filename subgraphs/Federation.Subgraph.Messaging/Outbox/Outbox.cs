using System.Text.Json;
using Federation.Subgraph.Messaging.Events;
using Microsoft.EntityFrameworkCore;

namespace Federation.Subgraph.Messaging.Outbox;

public static class Outbox
{
    /// <summary>
    /// Stages <paramref name="event"/> in the caller's context: it is written by the caller's next
    /// <c>SaveChanges</c>, inside the caller's transaction, so the state change and the event commit together or not at all.
    /// </summary>
    /// <param name="key">Kafka key, the aggregate id: events with one key keep their order.</param>
    public static OutboxMessage Add<TEvent>(DbContext db, string topic, string key, TEvent @event, DateTimeOffset? occurredAt = null)
        where TEvent : IIntegrationEvent
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        ArgumentException.ThrowIfNullOrEmpty(key);
        var message = new OutboxMessage
        {
            EventId = Guid.CreateVersion7(),
            Topic = topic,
            Key = key,
            Type = TEvent.EventType,
            SchemaVersion = TEvent.SchemaVersion,
            Subject = key,
            OccurredAt = occurredAt ?? DateTimeOffset.UtcNow,
            Data = JsonSerializer.Serialize(@event, EventJson.Options),
            TraceParent = TraceParent.CurrentOrNew(),
        };
        db.Set<OutboxMessage>().Add(message);
        return message;
    }

    /// <summary>The envelope the relay publishes for <paramref name="message"/>.</summary>
    public static EventEnvelope ToEnvelope(OutboxMessage message, string source)
    {
        using var data = JsonDocument.Parse(message.Data);
        return new EventEnvelope(message.EventId, message.Type, source, message.OccurredAt, message.Subject, message.SchemaVersion, data.RootElement.Clone());
    }
}
