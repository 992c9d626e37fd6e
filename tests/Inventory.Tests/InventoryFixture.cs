using System.Text.Json.Nodes;
using Federation.Testing.Servers;
using Federation.Testing.Subgraphs;

namespace Inventory.Tests;

/// <summary>One PostgreSQL cluster and one inventory process, migrated and seeded, shared by the inventory tests.</summary>
public sealed class InventoryFixture : IAsyncLifetime
{
    public PostgresServer Postgres { get; private set; } = null!;

    public string ConnectionString { get; private set; } = "";

    public SubgraphProcess Inventory { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Postgres = await PostgresServer.StartAsync();
        ConnectionString = await Postgres.CreateDatabaseAsync("inventory");
        Inventory = await SubgraphProcess.StartAsync("Inventory", new Dictionary<string, string?>
        {
            ["ConnectionStrings__Inventory"] = ConnectionString,
        });
    }

    public async Task DisposeAsync()
    {
        if (Inventory is not null)
            await Inventory.DisposeAsync();
        if (Postgres is not null)
            await Postgres.DisposeAsync();
    }

    /// <summary>Runs a query and fails the test with the response when it carries errors.</summary>
    public async Task<JsonObject> DataAsync(string query, object? variables = null)
    {
        var response = await Inventory.QueryAsync(query, variables);
        Assert.True(response["errors"] is null, $"Unexpected errors: {response.ToJsonString()}");
        return response["data"]!.AsObject();
    }
}

[CollectionDefinition(Name)]
public sealed class InventoryCollection : ICollectionFixture<InventoryFixture>
{
    public const string Name = "inventory";
}
