using Federation.Testing.Servers;
using Xunit;

namespace Federation.Testing.Fixtures;

/// <summary>
/// xunit fixture with PostgreSQL, Redis and the Kafka mock cluster, started in parallel on first use and
/// shared by the whole test assembly (see <see cref="SharedInfrastructure"/>).
/// </summary>
public sealed class InfrastructureFixture : IAsyncLifetime
{
    private PostgresServer? postgres;
    private RedisServer? redis;
    private KafkaMockCluster? kafka;

    public PostgresServer Postgres => postgres ?? throw NotInitialized();

    public RedisServer Redis => redis ?? throw NotInitialized();

    public KafkaMockCluster Kafka => kafka ?? throw NotInitialized();

    /// <inheritdoc cref="PostgresServer.CreateDatabaseAsync"/>
    public Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken = default) =>
        Postgres.CreateDatabaseAsync(name, cancellationToken);

    public async Task InitializeAsync()
    {
        var postgresStart = SharedInfrastructure.PostgresAsync();
        var redisStart = SharedInfrastructure.RedisAsync();
        var kafkaStart = SharedInfrastructure.KafkaAsync();
        await Task.WhenAll(postgresStart, redisStart, kafkaStart);
        (postgres, redis, kafka) = (postgresStart.Result, redisStart.Result, kafkaStart.Result);
    }

    // The shared servers outlive this fixture; they stop when the test host exits.
    public Task DisposeAsync() => Task.CompletedTask;

    private static InvalidOperationException NotInitialized() => new("The fixture is not initialized yet.");
}
