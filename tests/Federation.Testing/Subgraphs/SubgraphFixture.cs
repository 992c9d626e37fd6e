using System.Text.Json.Nodes;
using Federation.Testing.Fixtures;
using Federation.Testing.Servers;
using Xunit;

namespace Federation.Testing.Subgraphs;

/// <summary>
/// One PostgreSQL cluster and one subgraph process, migrated and seeded, shared by a subgraph's tests:
/// the database is named after the subgraph and passed as <c>ConnectionStrings__{project}</c>, as
/// <c>./federation up</c> does. With <paramref name="kafka"/> the subgraph also talks to the shared Kafka mock.
/// </summary>
public abstract class SubgraphFixture(string project, bool kafka = false) : IAsyncLifetime
{
    public PostgresServer Postgres { get; private set; } = null!;

    /// <summary>The subgraph's database, for tests that check what was written beside the GraphQL answer.</summary>
    public string ConnectionString { get; private set; } = "";

    public SubgraphProcess Subgraph { get; private set; } = null!;

    /// <summary>Settings beyond the connection strings, e.g. a signing key.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings => [];

    public async Task InitializeAsync()
    {
        var broker = kafka ? SharedInfrastructure.KafkaAsync() : null;
        Postgres = await PostgresServer.StartAsync();
        ConnectionString = await Postgres.CreateDatabaseAsync(project.ToLowerInvariant());
        var environment = new Dictionary<string, string?>(Settings) { [$"ConnectionStrings__{project}"] = ConnectionString };
        if (broker is not null)
            environment["Kafka__BootstrapServers"] = (await broker).BootstrapServers;
        Subgraph = await SubgraphProcess.StartAsync(project, environment);
    }

    public async Task DisposeAsync()
    {
        if (Subgraph is not null)
            await Subgraph.DisposeAsync();
        if (Postgres is not null)
            await Postgres.DisposeAsync();
    }

    /// <summary>Runs a query and fails the test with the response when it carries errors.</summary>
    public async Task<JsonObject> DataAsync(string query, object? variables = null)
    {
        var response = await Subgraph.QueryAsync(query, variables);
        Assert.True(response["errors"] is null, $"Unexpected errors: {response.ToJsonString()}");
        return response["data"]!.AsObject();
    }
}
