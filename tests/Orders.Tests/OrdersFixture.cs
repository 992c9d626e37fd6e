using System.Text.Json.Nodes;
using Federation.Testing.Servers;
using Federation.Testing.Subgraphs;

namespace Orders.Tests;

/// <summary>One PostgreSQL cluster and one orders process, migrated and seeded, shared by the orders tests.</summary>
public sealed class OrdersFixture : IAsyncLifetime
{
    private PostgresServer? postgres;

    public string ConnectionString { get; private set; } = "";

    public SubgraphProcess Orders { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        postgres = await PostgresServer.StartAsync();
        ConnectionString = await postgres.CreateDatabaseAsync("orders");
        Orders = await SubgraphProcess.StartAsync("Orders", new Dictionary<string, string?>
        {
            ["ConnectionStrings__Orders"] = ConnectionString,
        });
    }

    public async Task DisposeAsync()
    {
        if (Orders is not null)
            await Orders.DisposeAsync();
        if (postgres is not null)
            await postgres.DisposeAsync();
    }

    /// <summary>Runs a query and fails the test with the response when it carries errors.</summary>
    public async Task<JsonObject> DataAsync(string query, object? variables = null)
    {
        var response = await Orders.QueryAsync(query, variables);
        Assert.True(response["errors"] is null, $"Unexpected errors: {response.ToJsonString()}");
        return response["data"]!.AsObject();
    }
}

[CollectionDefinition(Name)]
public sealed class OrdersCollection : ICollectionFixture<OrdersFixture>
{
    public const string Name = "orders";
}
