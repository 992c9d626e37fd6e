using System.Globalization;
using System.Text.Json;
using Confluent.Kafka;
using Federation.Subgraph.Messaging.Events;
using Federation.Testing;

namespace Alerting.Tests.Events;

/// <summary>What the outbox relay put on alerting.alert.v1, read back from Kafka, and a check of each event against its committed contract.</summary>
public static class PublishedAlerts
{
    public const string Topic = "alerting.alert.v1";

    /// <summary>Reads the topic from the start until <paramref name="alertId"/>'s events include every one of <paramref name="types"/>.</summary>
    public static async Task<List<EventEnvelope>> ReadAsync(string bootstrapServers, string alertId, params string[] types)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "alerting-tests-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            TopicMetadataRefreshIntervalMs = 500,
        }).Build();
        consumer.Subscribe(Topic);
        var found = new List<EventEnvelope>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        try
        {
            while (!types.All(t => found.Any(e => e.Type == t)))
            {
                if (DateTime.UtcNow > deadline)
                    throw new TimeoutException($"Alert {alertId}: saw [{string.Join(", ", found.Select(e => e.Type))}], expected [{string.Join(", ", types)}] on {Topic}.");
                var result = await Task.Run(() => consumer.Consume(TimeSpan.FromMilliseconds(500)));
                if (result?.Message is { } message && message.Key == alertId)
                    found.Add(EventEnvelope.Parse(message.Value));
            }
        }
        finally
        {
            consumer.Close();
        }

        return found;
    }

    /// <summary>
    /// Every property the committed schema (schema/events/alerting.alert.v1/&lt;type&gt;.v1.json) declares is in the event's data
    /// with the declared JSON type, and every required one is there: what a consumer coded against the file can rely on.
    /// </summary>
    public static void AssertMatchesContract(EventEnvelope envelope)
    {
        var path = Path.Combine(RepositoryPaths.Root, "schema", "events", Topic, $"{envelope.Type}.v{envelope.SchemaVersion}.json");
        using var schema = JsonDocument.Parse(File.ReadAllText(path));
        var required = schema.RootElement.GetProperty("required").EnumerateArray().Select(r => r.GetString()!).ToList();
        Assert.All(required, name => Assert.True(envelope.Data.TryGetProperty(name, out _), $"{envelope.Type} lacks required '{name}'"));
        foreach (var property in schema.RootElement.GetProperty("properties").EnumerateObject())
        {
            Assert.True(envelope.Data.TryGetProperty(property.Name, out var value), $"{envelope.Type} lacks '{property.Name}'");
            var type = property.Value.GetProperty("type").GetString();
            var fits = type switch
            {
                "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
                "number" => value.ValueKind == JsonValueKind.Number,
                "string" when property.Value.TryGetProperty("format", out var format) && format.GetString() == "date-time" =>
                    value.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, out _),
                "string" => value.ValueKind == JsonValueKind.String,
                _ => false,
            };
            Assert.True(fits, $"{envelope.Type}.{property.Name} is {value.ValueKind} ({value.GetRawText()}), the contract says {type}");
        }
    }
}
