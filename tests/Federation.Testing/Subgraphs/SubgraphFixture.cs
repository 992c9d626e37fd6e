using System.Text.Json.Nodes;
using Federation.Testing.Fixtures;
using Federation.Testing.Servers;
using Npgsql;
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

    /// <summary>The first column of a statement's rows, in their order: what a test compares a paged read with.</summary>
    public async Task<List<int>> IdsAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<int>();
        while (await reader.ReadAsync())
            ids.Add(reader.GetInt32(0));
        return ids;
    }

    /// <summary>The planner's plan for a statement after a fresh ANALYZE of <paramref name="table"/>, one line per row of EXPLAIN.</summary>
    public async Task<string> PlanAsync(string table, string sql, IReadOnlyDictionary<string, object> parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using (var analyze = new NpgsqlCommand($"ANALYZE {table}", connection))
            await analyze.ExecuteNonQueryAsync();
        await using var command = new NpgsqlCommand("EXPLAIN " + sql, connection);
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
            lines.Add(reader.GetString(0));
        return string.Join('\n', lines);
    }
}

public static class Connections
{
    /// <summary>Every page of a connection, each read with the previous page's endCursor as 'after', until hasNextPage is false.</summary>
    public static async Task<List<JsonNode>> WalkAsync(Func<string?, Task<JsonNode>> readPage)
    {
        var pages = new List<JsonNode>();
        string? after = null;
        JsonNode page;
        do
        {
            page = await readPage(after);
            pages.Add(page);
            after = page["pageInfo"]!["endCursor"]?.GetValue<string>();
        }
        while (page["pageInfo"]!["hasNextPage"]!.GetValue<bool>());
        return pages;
    }
}
