using System.Globalization;
using System.Text.Json.Nodes;
using Federation.Testing.Security;
using Federation.Testing.Servers;
using Federation.Testing.Subgraphs;
using Npgsql;
using Xunit.Abstractions;

namespace Messaging.Tests;

/// <summary>Catalog and orders as separate processes: catalog's product events keep orders' price read model current.</summary>
[Collection(ProcessCollection.Name)]
public sealed class ProductReadModelTests(MessagingFixture fixture, ITestOutputHelper output)
{
    private const int Changes = 200;

    [Fact]
    public async Task PriceChanges_Should_ReachTheOrdersReadModel_When_CatalogUpdatesProducts()
    {
        // arrange
        var catalogDb = await fixture.CreateDatabaseAsync("rm_catalog");
        var ordersDb = await fixture.CreateDatabaseAsync("rm_orders");
        // A cluster of its own: the services' topic names are fixed, so a shared cluster would mix tests' events.
        await using var cluster = await KafkaMockCluster.StartAsync();
        var kafka = cluster.BootstrapServers;
        var group = Guid.NewGuid().ToString("N");
        var catalogStart = SubgraphProcess.StartAsync("Catalog", ServiceSettings.For("Catalog", catalogDb, kafka, group));
        var ordersStart = SubgraphProcess.StartAsync("Orders", ServiceSettings.For("Orders", ordersDb, kafka, group));
        await using var catalog = await catalogStart;
        await using var orders = await ordersStart;
        await Propagation.WaitForCountAsync(() => Propagation.ScalarAsync(ordersDb, "SELECT count(*) FROM inbox_messages"), 500, "orders to consume the 500 seeded products", catalog, orders);

        // act
        for (var id = 1; id <= Changes; id++)
        {
            var response = await catalog.QueryAsync(
                TestCaller.Admin,
                "mutation($input: UpdateProductInput!) { updateProduct(input: $input) { errors { code } } }",
                new { input = new { id = id.ToString(CultureInfo.InvariantCulture), price = NewPrice(id) } });
            Assert.Empty(response["data"]!["updateProduct"]!["errors"]!.AsArray());
        }
        await Propagation.WaitForAsync(
            async () => await Propagation.ScalarAsync(ordersDb, $"SELECT count(*) FROM products WHERE id <= {Changes} AND price = 1000 + id + 0.25") == Changes,
            "orders to apply every price change");

        // assert
        var latencies = await Propagation.LatenciesAsync(catalogDb, ordersDb, "ProductUpdated");
        output.WriteLine($"catalog commit -> orders read model over {latencies.Count} ProductUpdated events: p50 {Propagation.Percentile(latencies, 50):0} ms, p99 {Propagation.Percentile(latencies, 99):0} ms, max {latencies.Max():0} ms");
        Assert.Equal(Changes, latencies.Count);
        var health = JsonNode.Parse(await orders.Http.GetStringAsync("health/messaging"))!;
        output.WriteLine($"orders /health/messaging: {health.ToJsonString()}");
        Assert.Equal(500 + Changes, health["data"]!["applied"]!.GetValue<long>() + health["data"]!["duplicates"]!.GetValue<long>());
        Assert.Equal(0, health["data"]!["deadLettered"]!.GetValue<long>());
    }

    private static double NewPrice(int id) => 1000 + id + 0.25;
}
