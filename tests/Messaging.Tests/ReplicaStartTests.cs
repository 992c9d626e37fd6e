using Federation.Testing.Servers;
using Federation.Testing.Subgraphs;

namespace Messaging.Tests;

/// <summary>Replicas of one service started together on a fresh database, as <c>./federation up --replicas</c> does.</summary>
[Collection(ProcessCollection.Name)]
public sealed class ReplicaStartTests(MessagingFixture fixture)
{
    [Fact]
    public async Task Replicas_Should_BothStartAndSeedOnce_When_StartedTogetherOnAFreshDatabase()
    {
        // arrange
        var inventoryDb = await fixture.CreateDatabaseAsync("rs_inventory");
        await using var cluster = await KafkaMockCluster.StartAsync();
        var settings = ServiceSettings.For("Inventory", inventoryDb, cluster.BootstrapServers, Guid.NewGuid().ToString("N"));

        // act
        var first = SubgraphProcess.StartAsync("Inventory", settings);
        var second = SubgraphProcess.StartAsync("Inventory", settings);
        await using var one = await first;
        await using var two = await second;

        // assert
        var readiness = await Task.WhenAll(one.Http.GetAsync(new Uri("health/ready", UriKind.Relative)), two.Http.GetAsync(new Uri("health/ready", UriKind.Relative)));
        Assert.All(readiness, r => Assert.True(r.IsSuccessStatusCode, r.StatusCode.ToString()));
        var seeded = await Propagation.ScalarAsync(inventoryDb, "SELECT count(*) FROM stock_items");
        Assert.True(seeded > 0, "inventory seeded no stock");
        Assert.Equal(seeded, await Propagation.ScalarAsync(inventoryDb, "SELECT count(*) FROM outbox_messages WHERE type = 'StockChanged'"));
    }
}
