using System.Text.Json;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Federation.Kafka;
using Federation.Subgraph.Messaging.Events;
using Federation.Testing.Fixtures;
using Federation.Testing.Security;
using Federation.Testing.Subgraphs;
using Npgsql;

namespace Alerting.Tests;

/// <summary>
/// The alerting subgraph as a process on its own PostgreSQL database and the shared Kafka mock, evaluating every second.
/// Each test drives a rule no other test feeds (its own signal, or a dead-letter topic of its own), so windows do not mix.
/// </summary>
public sealed class AlertingFixture() : SubgraphFixture("Alerting", kafka: true), IAsyncLifetime
{
    /// <summary>A consumer group the tests commit offsets for, measured beside the services' groups.</summary>
    public const string LaggingGroup = "alerting-tests-lagging";

    private IProducer<string, byte[]>? producer;

    public SubgraphProcess Alerting => Subgraph;

    public string BootstrapServers { get; private set; } = "";

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Alerting__EvaluationInterval", "00:00:01"),
        new("Alerting__ConsumerLag__PollInterval", "00:00:01"),
        new("Alerting__ConsumerLag__Groups__0", LaggingGroup),
        new("Alerting__Rules__consumer-lag__Threshold", "5"),
    ];

    public new async Task InitializeAsync()
    {
        await base.InitializeAsync();
        BootstrapServers = (await SharedInfrastructure.KafkaAsync()).BootstrapServers;
        KafkaNativeLibrary.EnsureLoaded();
        producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = BootstrapServers, Acks = Acks.All }).Build();
    }

    public new async Task DisposeAsync()
    {
        producer?.Dispose();
        await base.DisposeAsync();
    }

    /// <summary>Publishes an event as its publisher's outbox relay would: an envelope keyed by <paramref name="key"/>.</summary>
    public Task ProduceEventAsync(string topic, string key, string type, object data) =>
        ProduceAsync(topic, key, new EventEnvelope(Guid.CreateVersion7(), type, "tests", DateTimeOffset.UtcNow, key, 1, JsonSerializer.SerializeToElement(data, EventJson.Options)).ToUtf8Bytes());

    public async Task ProduceAsync(string topic, string key, byte[] value) =>
        await producer!.ProduceAsync(topic, new Message<string, byte[]> { Key = key, Value = value });

    /// <summary>Every alert of <paramref name="ruleId"/>, newest first, as an admin reads them.</summary>
    public async Task<List<JsonNode>> AlertsAsync(string ruleId)
    {
        var data = await Alerting.DataAsync(TestCaller.Admin, """
            { alerts(first: 100) { id ruleId subject severity status summary value threshold raisedAt acknowledgedAt acknowledgedBy resolvedAt } }
            """);
        return [.. data["alerts"]!.AsArray().Where(a => a!["ruleId"]!.GetValue<string>() == ruleId).Select(a => a!)];
    }

    /// <summary>Polls <paramref name="probe"/> until it returns a value (the consumer and the evaluator run asynchronously).</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, string what, int seconds = 30)
        where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            if (await probe() is { } value)
                return value;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out after {seconds} s waiting for {what}.");
            await Task.Delay(200);
        }
    }

    public async Task<long> ScalarAsync(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
            command.Parameters.AddWithValue(parameter);
        return Convert.ToInt64(await command.ExecuteScalarAsync() ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
    }
}

[CollectionDefinition(Name)]
public sealed class AlertingCollection : ICollectionFixture<AlertingFixture>
{
    public const string Name = "alerting";
}
