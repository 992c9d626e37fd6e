using System.Text.Json.Nodes;
using Federation.Testing.Servers;
using Federation.Testing.Subgraphs;

namespace Reviews.Tests;

/// <summary>One PostgreSQL cluster and one reviews process, migrated and seeded, shared by the reviews tests.</summary>
public sealed class ReviewsFixture : IAsyncLifetime
{
    private PostgresServer? postgres;

    public SubgraphProcess Reviews { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        postgres = await PostgresServer.StartAsync();
        var connectionString = await postgres.CreateDatabaseAsync("reviews");
        Reviews = await SubgraphProcess.StartAsync("Reviews", new Dictionary<string, string?>
        {
            ["ConnectionStrings__Reviews"] = connectionString,
        });
    }

    public async Task DisposeAsync()
    {
        if (Reviews is not null)
            await Reviews.DisposeAsync();
        if (postgres is not null)
            await postgres.DisposeAsync();
    }

    /// <summary>Runs a query and fails the test with the response when it carries errors.</summary>
    public async Task<JsonObject> DataAsync(string query, object? variables = null)
    {
        var response = await Reviews.QueryAsync(query, variables);
        Assert.True(response["errors"] is null, $"Unexpected errors: {response.ToJsonString()}");
        return response["data"]!.AsObject();
    }
}

[CollectionDefinition(Name)]
public sealed class ReviewsCollection : ICollectionFixture<ReviewsFixture>
{
    public const string Name = "reviews";
}
