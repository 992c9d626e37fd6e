using Federation.Subgraph.Messaging.Consuming;
using Federation.Subgraph.Messaging.Events;
using Federation.Subgraph.Messaging.Outbox;
using Inventory.Data;
using Microsoft.EntityFrameworkCore;

namespace Inventory.Events;

/// <summary>Topics inventory reads; the publishers' contracts are under schema/events/&lt;topic&gt;.</summary>
public static class ConsumedTopics
{
    public const string CatalogProduct = "catalog.product.v1";
    public const string OrdersOrder = "orders.order.v1";
    public const string PaymentsPayment = "payments.payment.v1";
}

// Inventory's own minimal views of the payment outcome.
public sealed record PaymentSucceeded(int OrderId);

public sealed record PaymentFailed(int OrderId);

// Inventory's own minimal view of orders' event.
public sealed record OrderPlaced(int OrderId, int UserId, decimal Total, IReadOnlyList<OrderPlacedLine> Lines, PaymentCard? Card = null);

/// <summary>The card payments charges: brand and last four digits, all that orders lets out of placeOrder.</summary>
public sealed record PaymentCard(string Brand, string Last4);

public sealed record OrderPlacedLine(int ProductId, int Quantity);

/// <summary>
/// Every line of the order is held; payments charges next. The order's user, total and card travel along so payments
/// needs nothing from another topic, whose events could arrive in any order relative to this one. The card is null
/// only for orders placed before checkout took a card.
/// </summary>
public sealed record StockReserved(int OrderId, int UserId, decimal Total, IReadOnlyList<ReservedLine> Lines, PaymentCard? Card) : IIntegrationEvent
{
    public static string EventType => nameof(StockReserved);
    public static int SchemaVersion => 1;
}

public sealed record ReservedLine(int ProductId, int Quantity);

/// <summary>At least one line cannot be held; nothing was reserved and the order ends rejected.</summary>
public sealed record StockRejected(int OrderId, string Reason, IReadOnlyList<int> ShortProductIds) : IIntegrationEvent
{
    public static string EventType => nameof(StockRejected);
    public static int SchemaVersion => 1;
}

/// <summary>
/// Reserves all lines of an order or none. The stock rows are locked in product id order, so two orders
/// touching the same products cannot deadlock, and checked after locking, so they cannot overbook.
/// </summary>
public sealed class OrderPlacedHandler : IIntegrationEventHandler<InventoryDbContext, OrderPlaced>
{
    public async Task HandleAsync(InventoryDbContext db, OrderPlaced data, EventEnvelope envelope, CancellationToken cancellationToken)
    {
        var wanted = data.Lines.GroupBy(l => l.ProductId).ToDictionary(g => g.Key, g => g.Sum(l => l.Quantity));
        if (wanted.Count == 0 || wanted.Values.Any(q => q <= 0))
            throw new InvalidEventException($"Order {data.OrderId} has no lines or a non-positive quantity.");

        var ids = wanted.Keys.Order().ToArray();
        var items = await db.StockItems
            .FromSql($"SELECT * FROM stock_items WHERE product_id = ANY({ids}) ORDER BY product_id FOR UPDATE")
            .ToDictionaryAsync(s => s.ProductId, cancellationToken);
        var key = data.OrderId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var shortIds = ids.Where(id => !items.TryGetValue(id, out var item) || item.Available < wanted[id]).ToList();
        if (shortIds.Count > 0)
        {
            Outbox.Add(db, InventoryTopics.Stock, key, new StockRejected(data.OrderId, "Not enough stock available.", shortIds));
            return;
        }

        var now = DateTimeOffset.UtcNow;
        foreach (var id in ids)
        {
            var item = items[id];
            item.Reserved += wanted[id];
            item.UpdatedAt = now;
            db.Reservations.Add(new Reservation { OrderId = data.OrderId, ProductId = id, Quantity = wanted[id], ReservedAt = now });
            Outbox.Add(db, InventoryTopics.Stock, id.ToString(System.Globalization.CultureInfo.InvariantCulture), StockChanged.From(item));
        }
        Outbox.Add(db, InventoryTopics.Stock, key, new StockReserved(data.OrderId, data.UserId, data.Total, ids.Select(id => new ReservedLine(id, wanted[id])).ToList(), data.Card));
    }
}

/// <summary>
/// Settles an order's reservation: a payment ships the units (on hand and reserved both drop), a declined
/// payment releases them. The reservation rows are deleted, so a repeated outcome finds nothing to settle.
/// </summary>
public sealed class PaymentOutcomeHandler :
    IIntegrationEventHandler<InventoryDbContext, PaymentSucceeded>,
    IIntegrationEventHandler<InventoryDbContext, PaymentFailed>
{
    public Task HandleAsync(InventoryDbContext db, PaymentSucceeded data, EventEnvelope envelope, CancellationToken cancellationToken) =>
        SettleAsync(db, data.OrderId, ship: true, cancellationToken);

    public Task HandleAsync(InventoryDbContext db, PaymentFailed data, EventEnvelope envelope, CancellationToken cancellationToken) =>
        SettleAsync(db, data.OrderId, ship: false, cancellationToken);

    private static async Task SettleAsync(InventoryDbContext db, int orderId, bool ship, CancellationToken cancellationToken)
    {
        var reservations = await db.Reservations.Where(r => r.OrderId == orderId).OrderBy(r => r.ProductId).ToListAsync(cancellationToken);
        if (reservations.Count == 0)
            return;

        var ids = reservations.Select(r => r.ProductId).ToArray();
        var items = await db.StockItems
            .FromSql($"SELECT * FROM stock_items WHERE product_id = ANY({ids}) ORDER BY product_id FOR UPDATE")
            .ToDictionaryAsync(s => s.ProductId, cancellationToken);
        var now = DateTimeOffset.UtcNow;
        foreach (var reservation in reservations)
        {
            var item = items[reservation.ProductId];
            item.Reserved -= reservation.Quantity;
            if (ship)
                item.OnHand -= reservation.Quantity;
            item.UpdatedAt = now;
            Outbox.Add(db, InventoryTopics.Stock, item.ProductId.ToString(System.Globalization.CultureInfo.InvariantCulture), StockChanged.From(item));
        }
        db.Reservations.RemoveRange(reservations);
    }
}
