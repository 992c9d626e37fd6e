using Federation.Testing.Servers;
using Xunit;

namespace Federation.Testing.Fixtures;

/// <summary>
/// xunit fixture for tests that only need PostgreSQL. The server is shared by the whole test assembly
/// (see <see cref="SharedInfrastructure"/>); give each test class its own database name.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? postgres;

    public PostgresServer Postgres => postgres ?? throw new InvalidOperationException("The fixture is not initialized yet.");

    /// <inheritdoc cref="PostgresServer.CreateDatabaseAsync"/>
    public Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken = default) =>
        Postgres.CreateDatabaseAsync(name, cancellationToken);

    public async Task InitializeAsync() => postgres = await SharedInfrastructure.PostgresAsync();

    // The shared server outlives this fixture; it stops when the test host exits.
    public Task DisposeAsync() => Task.CompletedTask;
}
