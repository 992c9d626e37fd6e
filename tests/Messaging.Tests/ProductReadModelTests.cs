using System.Globalization;
using System.Text.Json.Nodes;
using Federation.Testing.Subgraphs;
using Npgsql;
using Xunit.Abstractions;

namespace Messaging.Tests;

/// <summary>Catalog and orders as separate processes: catalog's product events keep orders' price read model current.</summary>
[Collection(ProcessCollection.Name)]
public sealed class ProductReadModelTests(MessagingFixture fixture, ITestOutputHelper output)
{
    private const int Changes = 200;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task PriceChanges_Should_ReachTheOrdersReadModel_When_CatalogUpdatesProducts()
    {
        // arrange
        var catalogDb = await fixture.CreateDatabaseAsync("rm_catalog");
        var ordersDb = await fixture.CreateDatabaseAsync("rm_orders");
        var kafka = fixture.Kafka.BootstrapServers;
        var catalogStart = SubgraphProcess.StartAsync("Catalog", new Dictionary<string, string?> { ["ConnectionStrings__Catalog"] = catalogDb, ["Kafka__BootstrapServers"] = kafka });
        var ordersStart = SubgraphProcess.StartAsync("Orders", new Dictionary<string, string?> { ["ConnectionStrings__Orders"] = ordersDb, ["Kafka__BootstrapServers"] = kafka });
        await using var catalog = await catalogStart;
        await using var orders = await ordersStart;
        await WaitForAsync(async () => await ScalarAsync(ordersDb, "SELECT count(*) FROM inbox_messages") >= 500, "orders to consume the 500 seeded products");

        // act
        for (var id = 1; id <= Changes; id++)
        {
            var response = await catalog.QueryAsync(
                "mutation($input: UpdateProductInput!) { updateProduct(input: $input) { errors { code } } }",
                new { input = new { id = id.ToString(CultureInfo.InvariantCulture), price = NewPrice(id) } });
            Assert.Empty(response["data"]!["updateProduct"]!["errors"]!.AsArray());
        }
        await WaitForAsync(
            async () => await ScalarAsync(ordersDb, $"SELECT count(*) FROM products WHERE id <= {Changes} AND price = 1000 + id + 0.25") == Changes,
            "orders to apply every price change");

        // assert
        var latencies = await PropagationLatenciesAsync(catalogDb, ordersDb);
        output.WriteLine($"catalog commit -> orders read model over {latencies.Count} ProductUpdated events: p50 {Percentile(latencies, 50):0} ms, p99 {Percentile(latencies, 99):0} ms, max {latencies.Max():0} ms");
        Assert.Equal(Changes, latencies.Count);
        var health = JsonNode.Parse(await orders.Http.GetStringAsync("health/messaging"))!;
        output.WriteLine($"orders /health/messaging: {health.ToJsonString()}");
        Assert.Equal(500 + Changes, health["data"]!["applied"]!.GetValue<long>() + health["data"]!["duplicates"]!.GetValue<long>());
        Assert.Equal(0, health["data"]!["deadLettered"]!.GetValue<long>());
    }

    private static double NewPrice(int id) => 1000 + id + 0.25;

    /// <summary>Outbox occurred_at in catalog to inbox processed_at in orders, joined on the event id.</summary>
    private static async Task<List<double>> PropagationLatenciesAsync(string catalogDb, string ordersDb)
    {
        var occurred = new Dictionary<Guid, DateTimeOffset>();
        await using (var connection = new NpgsqlConnection(catalogDb))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT event_id, occurred_at FROM outbox_messages WHERE type = 'ProductUpdated'", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                occurred[reader.GetGuid(0)] = reader.GetFieldValue<DateTimeOffset>(1);
        }

        var latencies = new List<double>();
        await using (var connection = new NpgsqlConnection(ordersDb))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT event_id, processed_at FROM inbox_messages WHERE type = 'ProductUpdated'", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                latencies.Add((reader.GetFieldValue<DateTimeOffset>(1) - occurred[reader.GetGuid(0)]).TotalMilliseconds);
        }
        return latencies;
    }

    private static double Percentile(List<double> values, double percentile)
    {
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Clamp(Math.Ceiling(percentile / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        // The SQL is written in this file.
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.");
            await Task.Delay(100);
        }
    }
}
