using System.Globalization;
using System.Text;

namespace Federation.Gateway.Subscriptions;

/// <summary>
/// The events of the supergraph's <see cref="EventStreamField"/>s. The host implements it over Kafka with one consumer
/// per process whose events are fanned out to every subscriber in memory.
/// </summary>
public interface IEventStreams
{
    /// <summary>
    /// The keys of the entities <paramref name="subscription"/>'s events name, each with the subscriber's cursor after
    /// it, until cancelled. A subscription that cannot continue (buffer overflow, a cursor whose offsets are gone) throws
    /// <see cref="EventStreamException"/>.
    /// </summary>
    IAsyncEnumerable<StreamEvent> SubscribeAsync(EventSubscription subscription, CancellationToken cancellationToken);
}

/// <param name="Arguments">Data property -> the value the subscriber's argument requires (arguments given only).</param>
/// <param name="Owner">The caller's subject when the field is owner-only; null otherwise.</param>
/// <param name="CurrentKey">Set when the first event is the named entity as it is now (no <paramref name="After"/>).</param>
/// <param name="After">Resume after this cursor: the missed events first, in offset order per partition.</param>
/// <param name="BufferSize">Events waiting for this subscriber before it is ended.</param>
public sealed record EventSubscription(
    EventStreamField Field,
    IReadOnlyDictionary<string, string> Arguments,
    string? Owner,
    string? CurrentKey,
    EventCursor? After,
    int BufferSize);

/// <param name="Key">The entity's key value.</param>
/// <param name="Current">The entity as it is now, not an event (<see cref="EventSubscription.CurrentKey"/>).</param>
/// <param name="Id">The event's place in the log (topic/partition/offset); null for <paramref name="Current"/>.</param>
/// <param name="PublishedAt">The Kafka timestamp of a live event; null for the current state and for replayed events.</param>
public sealed record StreamEvent(string Key, EventCursor Cursor, bool Current = false, string? Id = null, DateTimeOffset? PublishedAt = null);

/// <summary>A subscription ended by its event source; <see cref="Code"/> is the GraphQL error code the client sees.</summary>
public sealed class EventStreamException(string message, string code) : Exception(message)
{
    public string Code { get; } = code;
}

/// <summary>
/// Where a subscriber is in a topic: for every partition, the offset of the next event it has not seen (events that did
/// not pass its filters count as seen). Opaque to clients: base64url of <c>topic;partition:offset,...</c>.
/// </summary>
public sealed record EventCursor(string Topic, IReadOnlyDictionary<int, long> Next)
{
    public string Encode()
    {
        var text = Topic + ";" + string.Join(",", Next.OrderBy(p => p.Key).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key}:{p.Value}")));
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>The cursor <paramref name="text"/> encodes, or null when it is not one.</summary>
    public static EventCursor? Decode(string text)
    {
        try
        {
            var base64 = text.Replace('-', '+').Replace('_', '/');
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=')));
            var separator = decoded.LastIndexOf(';');
            if (separator <= 0)
            {
                return null;
            }

            var next = new Dictionary<int, long>();
            foreach (var part in decoded[(separator + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                var pair = part.Split(':');
                if (pair.Length != 2
                    || !int.TryParse(pair[0], NumberStyles.None, CultureInfo.InvariantCulture, out var partition)
                    || !long.TryParse(pair[1], NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
                    || !next.TryAdd(partition, offset))
                {
                    return null;
                }
            }

            return new EventCursor(decoded[..separator], next);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
