using System.Text.Json.Nodes;
using Federation.Testing.Servers;
using Federation.Testing.Subgraphs;

namespace Accounts.Tests;

/// <summary>One PostgreSQL cluster and one accounts process, migrated and seeded, shared by the accounts tests.</summary>
public sealed class AccountsFixture : IAsyncLifetime
{
    public const string SigningKey = "accounts-tests-signing-key-0123456789-abcdefghij";

    public PostgresServer Postgres { get; private set; } = null!;

    public string ConnectionString { get; private set; } = "";

    public SubgraphProcess Accounts { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Postgres = await PostgresServer.StartAsync();
        ConnectionString = await Postgres.CreateDatabaseAsync("accounts");
        Accounts = await SubgraphProcess.StartAsync("Accounts", new Dictionary<string, string?>
        {
            ["ConnectionStrings__Accounts"] = ConnectionString,
            ["Jwt__SigningKey"] = SigningKey,
        });
    }

    public async Task DisposeAsync()
    {
        if (Accounts is not null)
            await Accounts.DisposeAsync();
        if (Postgres is not null)
            await Postgres.DisposeAsync();
    }

    /// <summary>Runs a query and fails the test with the response when it carries errors.</summary>
    public async Task<JsonObject> DataAsync(string query, object? variables = null)
    {
        var response = await Accounts.QueryAsync(query, variables);
        Assert.True(response["errors"] is null, $"Unexpected errors: {response.ToJsonString()}");
        return response["data"]!.AsObject();
    }
}

[CollectionDefinition(Name)]
public sealed class AccountsCollection : ICollectionFixture<AccountsFixture>
{
    public const string Name = "accounts";
}
