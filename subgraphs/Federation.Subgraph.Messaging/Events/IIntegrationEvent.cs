namespace Federation.Subgraph.Messaging.Events;

/// <summary>
/// A fact one service publishes for others, serialized as the envelope's <c>data</c>. The record's
/// shape is the contract committed as <c>schema/events/&lt;topic&gt;/&lt;EventType&gt;.v&lt;SchemaVersion&gt;.json</c>.
/// </summary>
public interface IIntegrationEvent
{
    /// <summary>The envelope's <c>type</c>, a past-tense name such as <c>ProductCreated</c>.</summary>
    static abstract string EventType { get; }

    /// <summary>Bumped for a breaking change, which also gets a new topic version.</summary>
    static abstract int SchemaVersion { get; }
}
