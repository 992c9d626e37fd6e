using Federation.Testing.Fixtures;
using Federation.Testing.Servers;

namespace Messaging.Tests;

/// <summary>The assembly's shared PostgreSQL and Kafka mock cluster; each test creates its own databases and topics.</summary>
public sealed class MessagingFixture : IAsyncLifetime
{
    public PostgresServer Postgres { get; private set; } = null!;

    public KafkaMockCluster Kafka { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var postgres = SharedInfrastructure.PostgresAsync();
        var kafka = SharedInfrastructure.KafkaAsync();
        await Task.WhenAll(postgres, kafka);
        (Postgres, Kafka) = (postgres.Result, kafka.Result);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A fresh database named after <paramref name="purpose"/>.</summary>
    public Task<string> CreateDatabaseAsync(string purpose) =>
        Postgres.CreateDatabaseAsync($"{purpose}_{Guid.NewGuid():N}"[..Math.Min(63, purpose.Length + 33)]);
}
