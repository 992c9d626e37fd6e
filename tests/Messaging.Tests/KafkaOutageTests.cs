using System.Diagnostics;
using System.Globalization;
using System.Text;
using Federation.Testing;
using Federation.Testing.Processes;
using Federation.Testing.Servers;
using Xunit.Abstractions;

namespace Messaging.Tests;

/// <summary>
/// The Kafka mock frozen (SIGSTOP) for 30 s while shoppers keep checking out: orders are still taken (the order and its
/// OrderPlaced event commit in one transaction), the outbox backlog grows, and once the broker is back it drains and
/// the saga settles every order exactly once.
/// </summary>
[Trait("Lane", "Faults")]
[Collection(ProcessCollection.Name)]
public sealed class KafkaOutageTests(MessagingFixture fixture, ITestOutputHelper output)
{
    private const int Clients = 3;
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Checkout_Should_SettleEveryOrderExactlyOnce_When_TheBrokerIsDownWhileOrdersArePlaced()
    {
        // arrange
        await using var services = await CheckoutServices.StartAsync(fixture, "outage");
        var product = services.Product;
        var warmUp = await services.PlaceAsync((product, 1));
        await Propagation.WaitForAsync(async () => await services.StatusAsync(warmUp) != "Placed", "the saga to settle an order before the outage", TimeSpan.FromSeconds(60), services.All);
        var before = await services.StockAsync(product);
        var broker = services.Cluster.Process.Id;

        // act
        var placed = new List<(int Id, int Quantity)>();
        var placeTimes = new List<TimeSpan>();
        var backlog = new List<long>();
        Signals.Stop(broker);
        var outage = Stopwatch.StartNew();
        try
        {
            var sampler = SampleBacklogAsync(services.OrdersDb, backlog, () => outage.Elapsed < Outage);
            await Task.WhenAll(Enumerable.Range(0, Clients).Select(async client =>
            {
                for (var i = 0; outage.Elapsed < Outage; i++)
                {
                    // Every other order is three units, over the test card's limit: payments declines it.
                    var quantity = (client + i) % 2 == 0 ? 1 : 3;
                    var clock = Stopwatch.StartNew();
                    var id = await services.PlaceAsync((product, quantity));
                    lock (placed)
                    {
                        placed.Add((id, quantity));
                        placeTimes.Add(clock.Elapsed);
                    }

                    await Task.Delay(300);
                }
            }));
            await sampler;
        }
        finally
        {
            Signals.Continue(broker);
        }

        var drain = Stopwatch.StartNew();
        await AssertBrokerBackAsync(services.Cluster);
        var ids = string.Join(',', placed.Select(p => p.Id));
        await WhileWatchingBrokerAsync(services.Cluster, () => Propagation.WaitForAsync(async () => await Propagation.ScalarAsync(services.OrdersDb, $"SELECT count(*) FROM orders WHERE id IN ({ids}) AND status = 'Placed'") == 0, "every order placed during the outage to be settled", DrainTimeout, services.All));
        await WhileWatchingBrokerAsync(services.Cluster, () => Propagation.WaitForAsync(async () => await UnsentAsync(services) == 0 && await Propagation.ScalarAsync(services.InventoryDb, "SELECT count(*) FROM reservations") == 0, "every outbox to drain and every reservation to settle", DrainTimeout, services.All));
        var drained = drain.Elapsed;

        // assert
        var statuses = new Dictionary<int, string>();
        foreach (var (id, _) in placed)
        {
            statuses[id] = await services.StatusAsync(id);
        }

        var confirmed = placed.Where(p => statuses[p.Id] == "Confirmed").ToList();
        var rejected = placed.Count(p => statuses[p.Id] == "Rejected");
        var maxBacklog = backlog.Max();
        var summary = $"Kafka mock frozen {Outage.TotalSeconds:0} s: {placed.Count} orders placed by {Clients} clients (placeOrder max {placeTimes.Max().TotalMilliseconds:0} ms, median {placeTimes.Order().ElementAt(placeTimes.Count / 2).TotalMilliseconds:0} ms); "
            + $"orders' unsent outbox grew to {maxBacklog}; after the broker was back every outbox drained and the saga settled in {drained.TotalMilliseconds:0} ms: "
            + $"{confirmed.Count} confirmed, {rejected} rejected.";
        output.WriteLine(summary);
        TestOutput.Write(Path.Combine("faults", "kafka-outage.md"), new StringBuilder()
            .AppendLine("# Kafka outage during checkout")
            .AppendLine()
            .AppendLine(summary)
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Unsent OrderPlaced rows in orders' outbox, sampled every 500 ms during the outage: {string.Join(' ', backlog)}")
            .ToString());

        Assert.True(placed.Count >= 30, $"only {placed.Count} orders were placed during the outage");
        Assert.All(placeTimes, t => Assert.True(t < TimeSpan.FromSeconds(5), $"placeOrder took {t.TotalMilliseconds:0} ms while the broker was down"));
        Assert.True(maxBacklog >= placed.Count * 9 / 10, $"the backlog peaked at {maxBacklog} with {placed.Count} orders placed: events left although the broker was down");
        Assert.Equal(placed.Count, confirmed.Count + rejected);
        Assert.Equal(placed.Count, await Propagation.ScalarAsync(services.OrdersDb, $"SELECT count(*) FROM outbox_messages WHERE type = 'OrderPlaced' AND key IN ({string.Join(',', placed.Select(p => $"'{p.Id}'"))})"));
        Assert.All(confirmed, p => Assert.Equal(1, p.Quantity));
        Assert.Equal(confirmed.Count, await Propagation.ScalarAsync(services.PaymentsDb, $"SELECT count(*) FROM payments WHERE order_id IN ({ids}) AND status = 'Succeeded'"));
        Assert.Equal(0, await Propagation.ScalarAsync(services.PaymentsDb, $"SELECT count(*) FROM (SELECT order_id FROM payments WHERE order_id IN ({ids}) GROUP BY order_id HAVING count(*) > 1) twice"));
        Assert.Equal((before.OnHand - confirmed.Count, before.Reserved), await services.StockAsync(product));
    }

    /// <summary>
    /// The continued broker is running and accepting connections on its port: a frozen process keeps its listening socket,
    /// so anything else (the process gone, the listener closed) is a fault of the harness, not of the services under test.
    /// </summary>
    private static async Task AssertBrokerBackAsync(KafkaMockCluster cluster)
    {
        var address = cluster.BootstrapServers.Split(',')[0];
        var port = int.Parse(address[(address.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
        using var probe = new System.Net.Sockets.TcpClient();
        try
        {
            await probe.ConnectAsync(System.Net.IPAddress.Loopback, port).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or TimeoutException)
        {
            Assert.Fail($"The Kafka mock does not accept connections at {address} after SIGCONT ({e.Message}). {BrokerState(cluster)}");
        }
    }

    /// <summary>Runs a wait whose failure also reports whether the broker is still there and what it printed.</summary>
    private static async Task WhileWatchingBrokerAsync(KafkaMockCluster cluster, Func<Task> wait)
    {
        try
        {
            await wait();
        }
        catch (Xunit.Sdk.XunitException e)
        {
            throw new Xunit.Sdk.XunitException($"{e.Message}\n{BrokerState(cluster)}", e);
        }
    }

    private static string BrokerState(KafkaMockCluster cluster) =>
        cluster.Process.HasExited
            ? $"The Kafka mock exited with {cluster.Process.ExitCode}.\n{cluster.Process.OutputTail()}"
            : $"The Kafka mock is running.\n{cluster.Process.OutputTail()}";

    /// <summary>Unsent outbox rows of all three services.</summary>
    private static async Task<long> UnsentAsync(CheckoutServices services)
    {
        long unsent = 0;
        foreach (var db in new[] { services.OrdersDb, services.InventoryDb, services.PaymentsDb })
        {
            unsent += await Propagation.ScalarAsync(db, "SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL");
        }

        return unsent;
    }

    private static async Task SampleBacklogAsync(string ordersDb, List<long> samples, Func<bool> running)
    {
        while (running())
        {
            samples.Add(await Propagation.ScalarAsync(ordersDb, "SELECT count(*) FROM outbox_messages WHERE type = 'OrderPlaced' AND sent_at IS NULL"));
            await Task.Delay(500);
        }

        samples.Add(await Propagation.ScalarAsync(ordersDb, "SELECT count(*) FROM outbox_messages WHERE type = 'OrderPlaced' AND sent_at IS NULL"));
    }
}
