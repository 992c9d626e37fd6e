using Federation.Subgraph.Messaging.Consuming;
using Federation.Subgraph.Messaging.Events;
using Federation.Subgraph.Messaging.Outbox;
using Inventory.Data;
using Microsoft.EntityFrameworkCore;

namespace Inventory.Events;

/// <summary>Topics inventory reads; the publisher's contract is schema/events/orders.order.v1.</summary>
public static class ConsumedTopics
{
    public const string OrdersOrder = "orders.order.v1";
}

// Inventory's own minimal view of orders' event.
public sealed record OrderPlaced(int OrderId, IReadOnlyList<OrderPlacedLine> Lines);

public sealed record OrderPlacedLine(int ProductId, int Quantity);

/// <summary>Every line of the order is held; payments charges next.</summary>
public sealed record StockReserved(int OrderId, IReadOnlyList<ReservedLine> Lines) : IIntegrationEvent
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
        Outbox.Add(db, InventoryTopics.Stock, key, new StockReserved(data.OrderId, ids.Select(id => new ReservedLine(id, wanted[id])).ToList()));
    }
}
