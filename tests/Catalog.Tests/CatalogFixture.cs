using System.Text.Json.Nodes;
using Federation.Testing.Fixtures;
using Federation.Testing.Servers;
using Federation.Testing.Subgraphs;

namespace Catalog.Tests;

/// <summary>One PostgreSQL cluster and one catalog process, migrated and seeded and publishing to the Kafka mock, shared by the catalog tests.</summary>
public sealed class CatalogFixture : IAsyncLifetime
{
    private PostgresServer? postgres;

    public SubgraphProcess Catalog { get; private set; } = null!;

    /// <summary>The catalog's database, for tests that check what was written beside the GraphQL answer (the outbox).</summary>
    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var kafka = SharedInfrastructure.KafkaAsync();
        postgres = await PostgresServer.StartAsync();
        ConnectionString = await postgres.CreateDatabaseAsync("catalog");
        Catalog = await SubgraphProcess.StartAsync("Catalog", new Dictionary<string, string?>
        {
            ["ConnectionStrings__Catalog"] = ConnectionString,
            ["Kafka__BootstrapServers"] = (await kafka).BootstrapServers,
        });
    }

    public async Task DisposeAsync()
    {
        if (Catalog is not null)
            await Catalog.DisposeAsync();
        if (postgres is not null)
            await postgres.DisposeAsync();
    }

    /// <summary>Runs a query and fails the test with the response when it carries errors.</summary>
    public async Task<JsonObject> DataAsync(string query, object? variables = null)
    {
        var response = await Catalog.QueryAsync(query, variables);
        Assert.True(response["errors"] is null, $"Unexpected errors: {response.ToJsonString()}");
        return response["data"]!.AsObject();
    }
}

[CollectionDefinition(Name)]
public sealed class CatalogCollection : ICollectionFixture<CatalogFixture>
{
    public const string Name = "catalog";
}
