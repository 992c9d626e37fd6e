using System.Text.Json.Nodes;
using Federation.Testing.Servers;
using Federation.Testing.Subgraphs;

namespace Notifications.Tests;

/// <summary>One PostgreSQL cluster and one notifications process, migrated and seeded, shared by the notifications tests.</summary>
public sealed class NotificationsFixture : IAsyncLifetime
{
    public PostgresServer Postgres { get; private set; } = null!;

    public string ConnectionString { get; private set; } = "";

    public SubgraphProcess Notifications { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Postgres = await PostgresServer.StartAsync();
        ConnectionString = await Postgres.CreateDatabaseAsync("notifications");
        Notifications = await SubgraphProcess.StartAsync("Notifications", new Dictionary<string, string?>
        {
            ["ConnectionStrings__Notifications"] = ConnectionString,
        });
    }

    public async Task DisposeAsync()
    {
        if (Notifications is not null)
            await Notifications.DisposeAsync();
        if (Postgres is not null)
            await Postgres.DisposeAsync();
    }

    /// <summary>Runs a query and fails the test with the response when it carries errors.</summary>
    public async Task<JsonObject> DataAsync(string query, object? variables = null)
    {
        var response = await Notifications.QueryAsync(query, variables);
        Assert.True(response["errors"] is null, $"Unexpected errors: {response.ToJsonString()}");
        return response["data"]!.AsObject();
    }
}

[CollectionDefinition(Name)]
public sealed class NotificationsCollection : ICollectionFixture<NotificationsFixture>
{
    public const string Name = "notifications";
}
