namespace Messaging.Tests;

/// <summary>
/// The checkout saga with orders, inventory and payments as separate processes: OrderPlaced -> StockReserved |
/// StockRejected -> PaymentSucceeded | PaymentFailed -> order Confirmed | Rejected, stock shipped or released.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class CheckoutSagaTests(MessagingFixture fixture)
{
    [Fact]
    public async Task Checkout_Should_ConfirmPaidOrdersAndRejectTheOthersWithStockSettled_When_ServicesTalkOnlyThroughEvents()
    {
        // arrange
        await using var services = await CheckoutServices.StartAsync(fixture, "saga");
        var (orders, inventory, payments) = (services.Orders, services.Inventory, services.Payments);
        var (ordersDb, inventoryDb, paymentsDb) = (services.OrdersDb, services.InventoryDb, services.PaymentsDb);
        var product = services.Product;
        var soldOut = (int)await Propagation.ScalarAsync(inventoryDb, "SELECT product_id FROM stock_items WHERE on_hand - reserved = 0 ORDER BY product_id LIMIT 1");
        var before = await services.StockAsync(product);

        // act
        var paid = await services.PlaceAsync((product, 1));
        var declined = await services.PlaceAsync((product, 3));
        var unavailable = await services.PlaceAsync((product, 1), (soldOut, 1));
        await Propagation.WaitForAsync(async () => await Propagation.ScalarAsync(ordersDb, $"SELECT count(*) FROM orders WHERE id IN ({paid}, {declined}, {unavailable}) AND status <> 'Placed'") == 3, "every order to reach its final status", orders, inventory, payments);
        await Propagation.WaitForAsync(async () => await Propagation.ScalarAsync(inventoryDb, "SELECT count(*) FROM reservations") == 0, "inventory to settle every reservation", orders, inventory, payments);

        // assert
        Assert.Equal(["Confirmed", "Rejected", "Rejected"], [await services.StatusAsync(paid), await services.StatusAsync(declined), await services.StatusAsync(unavailable)]);
        Assert.Equal((before.OnHand - 1, before.Reserved), await services.StockAsync(product));
        Assert.Equal(1, await Propagation.ScalarAsync(paymentsDb, $"SELECT count(*) FROM payments WHERE order_id = {paid} AND status = 'Succeeded'"));
        Assert.Equal(1, await Propagation.ScalarAsync(paymentsDb, $"SELECT count(*) FROM payments WHERE order_id = {declined} AND status = 'Failed'"));
        Assert.Equal(0, await Propagation.ScalarAsync(paymentsDb, $"SELECT count(*) FROM payments WHERE order_id = {unavailable}"));
        Assert.Equal(1, await Propagation.ScalarAsync(inventoryDb, $"SELECT count(*) FROM outbox_messages WHERE type = 'StockRejected' AND key = '{unavailable}' AND data->'shortProductIds' = '[{soldOut}]'::jsonb"));
    }
}
