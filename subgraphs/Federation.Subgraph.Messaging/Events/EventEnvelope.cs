using System.Text.Json;
using System.Text.Json.Serialization;

namespace Federation.Subgraph.Messaging.Events;

/// <summary>
/// The Kafka message value of every integration event (see docs: Events). <see cref="Id"/> is what
/// consumers deduplicate on, so a republished outbox row keeps its id.
/// </summary>
public sealed record EventEnvelope(
    Guid Id,
    string Type,
    string Source,
    DateTimeOffset OccurredAt,
    string Subject,
    int SchemaVersion,
    JsonElement Data)
{
    public byte[] ToUtf8Bytes() => JsonSerializer.SerializeToUtf8Bytes(this, EventJson.Options);

    /// <summary>Reads a message value; throws <see cref="InvalidEventException"/> for anything that is not an envelope.</summary>
    public static EventEnvelope Parse(ReadOnlySpan<byte> utf8)
    {
        EventEnvelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize<EventEnvelope>(utf8, EventJson.Options);
        }
        catch (JsonException exception)
        {
            throw new InvalidEventException($"The message is not an event envelope: {exception.Message}", exception);
        }

        if (envelope is null || envelope.Id == Guid.Empty || string.IsNullOrEmpty(envelope.Type) || envelope.Data.ValueKind != JsonValueKind.Object)
            throw new InvalidEventException("The message is not an event envelope: id, type and an object data are required.");
        return envelope;
    }

    /// <summary>Reads <see cref="Data"/> into the consumer's own record.</summary>
    public TEvent DataAs<TEvent>()
    {
        try
        {
            return Data.Deserialize<TEvent>(EventJson.Options)
                ?? throw new InvalidEventException($"Event {Id} has null data.");
        }
        catch (JsonException exception)
        {
            throw new InvalidEventException($"Event {Id} ({Type} v{SchemaVersion}) does not fit {typeof(TEvent).Name}: {exception.Message}", exception);
        }
    }

    [JsonIgnore]
    public string Describe => $"{Type} v{SchemaVersion} {Id} ({Subject})";
}

/// <summary>A message that can never be processed, whatever the retry: it goes to the dead-letter topic.</summary>
public sealed class InvalidEventException(string message, Exception? inner = null) : Exception(message, inner);
