using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;

namespace Federation.Subgraph.Messaging.Events;

/// <summary>
/// The committed contract of an event type: a JSON Schema (draft 2020-12) of the envelope's <c>data</c>,
/// generated from the publisher's record with the same serializer options the outbox uses, plus a sample
/// consumers' tests read into their own records.
/// </summary>
public static class EventContract
{
    public const string Folder = "schema/events";

    /// <summary><c>schema/events/&lt;topic&gt;/&lt;EventType&gt;.v&lt;N&gt;.json</c>, relative to the repository root.</summary>
    public static string RelativePath<TEvent>(string topic)
        where TEvent : IIntegrationEvent =>
        Path.Combine(Folder, topic, $"{TEvent.EventType}.v{TEvent.SchemaVersion}.json");

    /// <summary>The schema file's text, stable byte for byte so a test can compare it with the committed file.</summary>
    public static string Generate<TEvent>(string topic, TEvent sample)
        where TEvent : IIntegrationEvent
    {
        var generated = EventJson.Options.GetJsonSchemaAsNode(typeof(TEvent), new JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true,
        }).AsObject();

        var schema = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = $"{topic}/{TEvent.EventType}.v{TEvent.SchemaVersion}.json",
            ["title"] = TEvent.EventType,
            ["description"] = $"The data of a {TEvent.EventType} event (schemaVersion {TEvent.SchemaVersion}) on topic {topic}; the envelope carries id, type, source, occurredAt, subject and schemaVersion.",
        };
        foreach (var (name, value) in generated)
            schema[name] = value?.DeepClone();
        // Consumers tolerate fields added later; a removed or retyped field needs a new version and topic.
        schema["additionalProperties"] ??= true;
        schema["examples"] = new JsonArray(JsonSerializer.SerializeToNode(sample, EventJson.Options));
        return schema.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }).ReplaceLineEndings("\n") + "\n";
    }
}
