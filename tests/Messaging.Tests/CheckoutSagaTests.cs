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
        var cardDeclined = await services.PlaceAsync("4000 0000 0000 0002", (product, 1));
        await Propagation.WaitForAsync(async () => await Propagation.ScalarAsync(ordersDb, $"SELECT count(*) FROM orders WHERE id IN ({paid}, {declined}, {unavailable}, {cardDeclined}) AND status <> 'Placed'") == 4, "every order to reach its final status", orders, inventory, payments);
        await Propagation.WaitForAsync(async () => await Propagation.ScalarAsync(inventoryDb, "SELECT count(*) FROM reservations") == 0, "inventory to settle every reservation", orders, inventory, payments);

        // assert
        Assert.Equal(["Confirmed", "Rejected", "Rejected", "Rejected"],
            [await services.StatusAsync(paid), await services.StatusAsync(declined), await services.StatusAsync(unavailable), await services.StatusAsync(cardDeclined)]);
        Assert.Equal((before.OnHand - 1, before.Reserved), await services.StockAsync(product));
        Assert.Equal(1, await Propagation.ScalarAsync(paymentsDb, $"SELECT count(*) FROM payments WHERE order_id = {paid} AND card_brand = 'Visa' AND card_last4 = '4242' AND decline_reason IS NULL"));
        Assert.Equal(1, await Propagation.ScalarAsync(paymentsDb, $"SELECT count(*) FROM payments WHERE order_id = {cardDeclined} AND status = 'Failed' AND card_last4 = '0002' AND decline_reason LIKE 'Your card was declined%'"));
        Assert.Equal(1, await Propagation.ScalarAsync(ordersDb, $"SELECT count(*) FROM orders WHERE id = {cardDeclined} AND rejection_reason LIKE 'Your card was declined%'"));
        Assert.Equal(1, await Propagation.ScalarAsync(ordersDb, $"SELECT count(*) FROM orders WHERE id = {declined} AND rejection_reason LIKE 'The test card declines charges above%'"));
        Assert.Equal(1, await Propagation.ScalarAsync(ordersDb, $"SELECT count(*) FROM orders WHERE id = {unavailable} AND rejection_reason IS NOT NULL"));
        // The full number is checked by placeOrder and goes no further: not in a table, an outbox or an inbox of the saga.
        foreach (var db in new[] { ordersDb, inventoryDb, paymentsDb })
            Assert.Equal(0, await Propagation.ScalarAsync(db, "SELECT (SELECT count(*) FROM outbox_messages m WHERE m::text LIKE '%000000000000%' OR m::text LIKE '%424242424242%')"));
        Assert.Equal(0, await Propagation.ScalarAsync(paymentsDb, "SELECT count(*) FROM payments p WHERE p::text LIKE '%424242424242%' OR p::text LIKE '%000000000000%'"));
        Assert.Equal(1, await Propagation.ScalarAsync(paymentsDb, $"SELECT count(*) FROM payments WHERE order_id = {paid} AND status = 'Succeeded'"));
        Assert.Equal(1, await Propagation.ScalarAsync(paymentsDb, $"SELECT count(*) FROM payments WHERE order_id = {declined} AND status = 'Failed'"));
        Assert.Equal(0, await Propagation.ScalarAsync(paymentsDb, $"SELECT count(*) FROM payments WHERE order_id = {unavailable}"));
        Assert.Equal(1, await Propagation.ScalarAsync(inventoryDb, $"SELECT count(*) FROM outbox_messages WHERE type = 'StockRejected' AND key = '{unavailable}' AND data->'shortProductIds' = '[{soldOut}]'::jsonb"));
    }
}
