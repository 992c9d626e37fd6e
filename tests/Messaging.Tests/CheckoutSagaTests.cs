using System.Globalization;
using Federation.Testing.Security;
using Federation.Testing.Servers;
using Federation.Testing.Subgraphs;

namespace Messaging.Tests;

/// <summary>
/// The checkout saga with orders, inventory and payments as separate processes: OrderPlaced -> StockReserved |
/// StockRejected -> PaymentSucceeded | PaymentFailed -> order Confirmed | Rejected, stock shipped or released.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class CheckoutSagaTests(MessagingFixture fixture)
{
    private const string PlaceOrder = """
        mutation($input: PlaceOrderInput!, $key: String!) {
          placeOrder(input: $input, idempotencyKey: $key) { order { id } errors { code message } }
        }
        """;

    [Fact]
    public async Task Checkout_Should_ConfirmPaidOrdersAndRejectTheOthersWithStockSettled_When_ServicesTalkOnlyThroughEvents()
    {
        // arrange
        var ordersDb = await fixture.CreateDatabaseAsync("saga_orders");
        var inventoryDb = await fixture.CreateDatabaseAsync("saga_inventory");
        var paymentsDb = await fixture.CreateDatabaseAsync("saga_payments");
        // A cluster of its own: the services' topic names are fixed, so a shared cluster would mix tests' events.
        await using var cluster = await KafkaMockCluster.StartAsync();
        var kafka = cluster.BootstrapServers;
        var group = Guid.NewGuid().ToString("N");
        var ordersStart = SubgraphProcess.StartAsync("Orders", ServiceSettings.For("Orders", ordersDb, kafka, group));
        var inventoryStart = SubgraphProcess.StartAsync("Inventory", ServiceSettings.For("Inventory", inventoryDb, kafka, group));
        await using var orders = await ordersStart;
        await using var inventory = await inventoryStart;
        var product = (int)await Propagation.ScalarAsync(inventoryDb, "SELECT product_id FROM stock_items WHERE on_hand - reserved >= 10 ORDER BY product_id LIMIT 1");
        var soldOut = (int)await Propagation.ScalarAsync(inventoryDb, "SELECT product_id FROM stock_items WHERE on_hand - reserved = 0 ORDER BY product_id LIMIT 1");
        var priceCents = await Propagation.ScalarAsync(ordersDb, $"SELECT (price * 100)::bigint FROM products WHERE id = {product}");
        // The test card's limit sits between one unit (paid) and three units (declined) of the product.
        var limit = (2m * priceCents / 100m).ToString(CultureInfo.InvariantCulture);
        await using var payments = await SubgraphProcess.StartAsync("Payments", new Dictionary<string, string?>(ServiceSettings.For("Payments", paymentsDb, kafka, group)) { ["Payments__TestCardLimit"] = limit });
        var before = await StockAsync(inventoryDb, product);

        // act
        var paid = await PlaceAsync(orders, (product, 1));
        var declined = await PlaceAsync(orders, (product, 3));
        var unavailable = await PlaceAsync(orders, (product, 1), (soldOut, 1));
        await Propagation.WaitForAsync(async () => await Propagation.ScalarAsync(ordersDb, $"SELECT count(*) FROM orders WHERE id IN ({paid}, {declined}, {unavailable}) AND status <> 'Placed'") == 3, "every order to reach its final status", orders, inventory, payments);
        await Propagation.WaitForAsync(async () => await Propagation.ScalarAsync(inventoryDb, "SELECT count(*) FROM reservations") == 0, "inventory to settle every reservation", orders, inventory, payments);

        // assert
        Assert.Equal(["Confirmed", "Rejected", "Rejected"], [await StatusAsync(ordersDb, paid), await StatusAsync(ordersDb, declined), await StatusAsync(ordersDb, unavailable)]);
        Assert.Equal((before.OnHand - 1, before.Reserved), await StockAsync(inventoryDb, product));
        Assert.Equal(1, await Propagation.ScalarAsync(paymentsDb, $"SELECT count(*) FROM payments WHERE order_id = {paid} AND status = 'Succeeded'"));
        Assert.Equal(1, await Propagation.ScalarAsync(paymentsDb, $"SELECT count(*) FROM payments WHERE order_id = {declined} AND status = 'Failed'"));
        Assert.Equal(0, await Propagation.ScalarAsync(paymentsDb, $"SELECT count(*) FROM payments WHERE order_id = {unavailable}"));
        Assert.Equal(1, await Propagation.ScalarAsync(inventoryDb, $"SELECT count(*) FROM outbox_messages WHERE type = 'StockRejected' AND key = '{unavailable}' AND data->'shortProductIds' = '[{soldOut}]'::jsonb"));
    }

    private static async Task<(long OnHand, long Reserved)> StockAsync(string inventoryDb, int product) =>
        (await Propagation.ScalarAsync(inventoryDb, $"SELECT on_hand FROM stock_items WHERE product_id = {product}"),
         await Propagation.ScalarAsync(inventoryDb, $"SELECT reserved FROM stock_items WHERE product_id = {product}"));

    private static async Task<string> StatusAsync(string ordersDb, int orderId)
    {
        await using var connection = new Npgsql.NpgsqlConnection(ordersDb);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand($"SELECT status FROM orders WHERE id = {orderId}", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<int> PlaceAsync(SubgraphProcess orders, params (int ProductId, int Quantity)[] lines)
    {
        var input = new
        {
            lines = lines.Select(l => new { productId = l.ProductId.ToString(CultureInfo.InvariantCulture), quantity = l.Quantity }).ToArray(),
        };
        var response = await orders.QueryAsync(TestCaller.Shopper(1), PlaceOrder, new { input, key = Guid.NewGuid().ToString() });
        Assert.Empty(response["data"]!["placeOrder"]!["errors"]!.AsArray());
        return int.Parse(response["data"]!["placeOrder"]!["order"]!["id"]!.GetValue<string>(), CultureInfo.InvariantCulture);
    }
}
