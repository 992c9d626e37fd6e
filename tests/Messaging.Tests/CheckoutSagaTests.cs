using System.Globalization;
using Federation.Testing.Subgraphs;

namespace Messaging.Tests;

/// <summary>Orders and inventory as separate processes: the first step of the checkout saga (OrderPlaced -> StockReserved | StockRejected).</summary>
[Collection(ProcessCollection.Name)]
public sealed class CheckoutSagaTests(MessagingFixture fixture)
{
    private const string PlaceOrder = """
        mutation($input: PlaceOrderInput!, $key: String!) {
          placeOrder(input: $input, idempotencyKey: $key) { order { id } errors { code message } }
        }
        """;

    [Fact]
    public async Task PlacedOrders_Should_ReserveAllLinesOrBeRejectedWithNothingHeld_When_InventoryAnswers()
    {
        // arrange
        var ordersDb = await fixture.CreateDatabaseAsync("saga_orders");
        var inventoryDb = await fixture.CreateDatabaseAsync("saga_inventory");
        var kafka = fixture.Kafka.BootstrapServers;
        var group = Guid.NewGuid().ToString("N");
        var ordersStart = SubgraphProcess.StartAsync("Orders", new Dictionary<string, string?> { ["ConnectionStrings__Orders"] = ordersDb, ["Kafka__BootstrapServers"] = kafka, ["Messaging__GroupId"] = $"orders-{group}" });
        var inventoryStart = SubgraphProcess.StartAsync("Inventory", new Dictionary<string, string?> { ["ConnectionStrings__Inventory"] = inventoryDb, ["Kafka__BootstrapServers"] = kafka, ["Messaging__GroupId"] = $"inventory-{group}" });
        await using var orders = await ordersStart;
        await using var inventory = await inventoryStart;
        var plenty = (int)await Propagation.ScalarAsync(inventoryDb, "SELECT product_id FROM stock_items WHERE on_hand - reserved >= 10 ORDER BY product_id LIMIT 1");
        var soldOut = (int)await Propagation.ScalarAsync(inventoryDb, "SELECT product_id FROM stock_items WHERE on_hand - reserved = 0 ORDER BY product_id LIMIT 1");
        var reservedBefore = await Propagation.ScalarAsync(inventoryDb, $"SELECT reserved FROM stock_items WHERE product_id = {plenty}");

        // act
        var held = await PlaceAsync(orders, (plenty, 2));
        var rejected = await PlaceAsync(orders, (plenty, 1), (soldOut, 1));
        await Propagation.WaitForAsync(async () => await Propagation.ScalarAsync(ordersDb, $"SELECT count(*) FROM orders WHERE id = {rejected} AND status = 'Rejected'") == 1, "orders to reject the order inventory could not hold");
        await Propagation.WaitForAsync(async () => await Propagation.ScalarAsync(inventoryDb, $"SELECT count(*) FROM reservations WHERE order_id = {held}") == 1, "inventory to reserve the order it could hold");

        // assert
        Assert.Equal(reservedBefore + 2, await Propagation.ScalarAsync(inventoryDb, $"SELECT reserved FROM stock_items WHERE product_id = {plenty}"));
        Assert.Equal(0, await Propagation.ScalarAsync(inventoryDb, $"SELECT count(*) FROM reservations WHERE order_id = {rejected}"));
        Assert.Equal(1, await Propagation.ScalarAsync(inventoryDb, $"SELECT count(*) FROM outbox_messages WHERE type = 'StockReserved' AND key = '{held}'"));
        Assert.Equal(1, await Propagation.ScalarAsync(inventoryDb, $"SELECT count(*) FROM outbox_messages WHERE type = 'StockRejected' AND key = '{rejected}' AND data->'shortProductIds' = '[{soldOut}]'::jsonb"));
        Assert.Equal(1, await Propagation.ScalarAsync(ordersDb, $"SELECT count(*) FROM orders WHERE id = {held} AND status = 'Placed'"));
    }

    private static async Task<int> PlaceAsync(SubgraphProcess orders, params (int ProductId, int Quantity)[] lines)
    {
        var input = new
        {
            userId = "1",
            lines = lines.Select(l => new { productId = l.ProductId.ToString(CultureInfo.InvariantCulture), quantity = l.Quantity }).ToArray(),
        };
        var response = await orders.QueryAsync(PlaceOrder, new { input, key = Guid.NewGuid().ToString() });
        Assert.Empty(response["data"]!["placeOrder"]!["errors"]!.AsArray());
        return int.Parse(response["data"]!["placeOrder"]!["order"]!["id"]!.GetValue<string>(), CultureInfo.InvariantCulture);
    }
}
