using System.Text.Json.Nodes;
using Federation.Testing.Servers;
using Federation.Testing.Subgraphs;

namespace Payments.Tests;

/// <summary>One PostgreSQL cluster and one payments process, migrated and seeded, shared by the payments tests.</summary>
public sealed class PaymentsFixture : IAsyncLifetime
{
    private PostgresServer? postgres;

    public string ConnectionString { get; private set; } = "";

    public SubgraphProcess Payments { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        postgres = await PostgresServer.StartAsync();
        ConnectionString = await postgres.CreateDatabaseAsync("payments");
        Payments = await SubgraphProcess.StartAsync("Payments", new Dictionary<string, string?>
        {
            ["ConnectionStrings__Payments"] = ConnectionString,
        });
    }

    public async Task DisposeAsync()
    {
        if (Payments is not null)
            await Payments.DisposeAsync();
        if (postgres is not null)
            await postgres.DisposeAsync();
    }

    /// <summary>Runs a query and fails the test with the response when it carries errors.</summary>
    public async Task<JsonObject> DataAsync(string query, object? variables = null)
    {
        var response = await Payments.QueryAsync(query, variables);
        Assert.True(response["errors"] is null, $"Unexpected errors: {response.ToJsonString()}");
        return response["data"]!.AsObject();
    }
}

[CollectionDefinition(Name)]
public sealed class PaymentsCollection : ICollectionFixture<PaymentsFixture>
{
    public const string Name = "payments";
}
