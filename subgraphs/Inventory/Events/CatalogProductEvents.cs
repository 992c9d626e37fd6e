using System.Globalization;
using Federation.Subgraph.Messaging.Consuming;
using Federation.Subgraph.Messaging.Events;
using Federation.Subgraph.Messaging.Outbox;
using Inventory.Data;
using Microsoft.EntityFrameworkCore;

namespace Inventory.Events;

// Inventory's own minimal view of catalog's event: the new product's id is all a stock row needs.
public sealed record ProductCreated(int ProductId);

/// <summary>
/// Starts tracking a product catalog created, with nothing on hand, so an operator can receive stock for it
/// (<c>adjustStock</c> refuses products inventory does not track). A product already tracked, a seeded one or a
/// redelivered event, is left as it is; a new row is announced like every other stock change.
/// </summary>
public sealed class ProductTrackedHandler : IIntegrationEventHandler<InventoryDbContext, ProductCreated>
{
    public async Task HandleAsync(InventoryDbContext db, ProductCreated data, EventEnvelope envelope, CancellationToken cancellationToken)
    {
        if (data.ProductId <= 0)
            throw new InvalidEventException($"Product id {data.ProductId} is not positive.");
        if (await db.StockItems.AnyAsync(s => s.ProductId == data.ProductId, cancellationToken))
            return;

        var item = new StockItem { ProductId = data.ProductId, OnHand = 0, Reserved = 0, UpdatedAt = DateTimeOffset.UtcNow };
        db.StockItems.Add(item);
        Outbox.Add(db, InventoryTopics.Stock, item.ProductId.ToString(CultureInfo.InvariantCulture), StockChanged.From(item));
    }
}
