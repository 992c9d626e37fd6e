using System.Globalization;
using Federation.Testing.Security;
using Federation.Testing.Servers;
using Federation.Testing.Subgraphs;

namespace Messaging.Tests;

/// <summary>
/// The checkout saga's three services as processes on databases and a Kafka mock cluster of their own (the services'
/// topic names are fixed, so a shared cluster would mix tests' events). The test card's limit sits between one unit
/// (paid) and three units (declined) of <see cref="Product"/>, the in-stock product with the most units available.
/// </summary>
internal sealed class CheckoutServices : IAsyncDisposable
{
    private const string PlaceOrderMutation = """
        mutation($input: PlaceOrderInput!, $key: String!) {
          placeOrder(input: $input, idempotencyKey: $key) { order { id } errors { code message } }
        }
        """;

    private CheckoutServices(KafkaMockCluster cluster, string ordersDb, string inventoryDb, string paymentsDb)
    {
        Cluster = cluster;
        OrdersDb = ordersDb;
        InventoryDb = inventoryDb;
        PaymentsDb = paymentsDb;
    }

    public KafkaMockCluster Cluster { get; }

    public string OrdersDb { get; }

    public string InventoryDb { get; }

    public string PaymentsDb { get; }

    public SubgraphProcess Orders { get; private set; } = null!;

    public SubgraphProcess Inventory { get; private set; } = null!;

    public SubgraphProcess Payments { get; private set; } = null!;

    public int Product { get; private set; }

    public SubgraphProcess[] All => [Orders, Inventory, Payments];

    public static async Task<CheckoutServices> StartAsync(MessagingFixture fixture, string purpose)
    {
        var ordersDb = await fixture.CreateDatabaseAsync($"{purpose}_orders");
        var inventoryDb = await fixture.CreateDatabaseAsync($"{purpose}_inventory");
        var paymentsDb = await fixture.CreateDatabaseAsync($"{purpose}_payments");
        var services = new CheckoutServices(await KafkaMockCluster.StartAsync(), ordersDb, inventoryDb, paymentsDb);
        try
        {
            var kafka = services.Cluster.BootstrapServers;
            var group = Guid.NewGuid().ToString("N");
            var ordersStart = SubgraphProcess.StartAsync("Orders", ServiceSettings.For("Orders", ordersDb, kafka, group));
            var inventoryStart = SubgraphProcess.StartAsync("Inventory", ServiceSettings.For("Inventory", inventoryDb, kafka, group));
            services.Orders = await ordersStart;
            services.Inventory = await inventoryStart;
            services.Product = (int)await Propagation.ScalarAsync(inventoryDb, "SELECT product_id FROM stock_items ORDER BY on_hand - reserved DESC, product_id LIMIT 1");
            var priceCents = await Propagation.ScalarAsync(ordersDb, $"SELECT (price * 100)::bigint FROM products WHERE id = {services.Product}");
            // Two units plus standard shipping, to Oregon where no sales tax is collected: one unit is paid, three are declined.
            var limit = (2m * priceCents / 100m + StandardShipping).ToString(CultureInfo.InvariantCulture);
            services.Payments = await SubgraphProcess.StartAsync("Payments", new Dictionary<string, string?>(ServiceSettings.For("Payments", paymentsDb, kafka, group)) { ["Payments__TestCardLimit"] = limit });
            return services;
        }
        catch
        {
            await services.DisposeAsync();
            throw;
        }
    }

    public const decimal StandardShipping = 4.99m;

    public const string ApprovingCard = "4242 4242 4242 4242";

    /// <summary>The input of an order shipped by STANDARD to Oregon (no sales tax) and paid with <paramref name="card"/>.</summary>
    public static object Input(string card, params (int ProductId, int Quantity)[] lines) => new
    {
        lines = lines.Select(l => new { productId = l.ProductId.ToString(CultureInfo.InvariantCulture), quantity = l.Quantity }).ToArray(),
        shippingAddress = new { name = "Saga Tester", line1 = "1 SW Main St", city = "Portland", region = "OR", postalCode = "97204", country = "US" },
        shippingMethod = "STANDARD",
        payment = new { cardNumber = card },
    };

    /// <summary>Places an order as shopper 1 straight at the orders subgraph, paid with the approving test card, and returns its id.</summary>
    public Task<int> PlaceAsync(params (int ProductId, int Quantity)[] lines) => PlaceAsync(ApprovingCard, lines);

    public async Task<int> PlaceAsync(string card, params (int ProductId, int Quantity)[] lines)
    {
        var input = Input(card, lines);
        var response = await Orders.QueryAsync(TestCaller.Shopper(1), PlaceOrderMutation, new { input, key = Guid.NewGuid().ToString() });
        Assert.True(response["data"]?["placeOrder"]?["errors"]?.AsArray().Count == 0, $"placeOrder failed: {response.ToJsonString()}");
        return int.Parse(response["data"]!["placeOrder"]!["order"]!["id"]!.GetValue<string>(), CultureInfo.InvariantCulture);
    }

    public async Task<(long OnHand, long Reserved)> StockAsync(int product) =>
        (await Propagation.ScalarAsync(InventoryDb, $"SELECT on_hand FROM stock_items WHERE product_id = {product}"),
         await Propagation.ScalarAsync(InventoryDb, $"SELECT reserved FROM stock_items WHERE product_id = {product}"));

    public async Task<string> StatusAsync(int orderId)
    {
        await using var connection = new Npgsql.NpgsqlConnection(OrdersDb);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand($"SELECT status FROM orders WHERE id = {orderId}", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var service in new[] { Payments, Inventory, Orders })
        {
            if (service is not null)
            {
                await service.DisposeAsync();
            }
        }

        await Cluster.DisposeAsync();
    }
}
