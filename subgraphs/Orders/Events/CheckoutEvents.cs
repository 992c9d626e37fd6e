using Federation.Subgraph.Messaging.Consuming;
using Federation.Subgraph.Messaging.Events;
using Microsoft.EntityFrameworkCore;
using Orders.Data;
using Orders.Domain;

namespace Orders.Events;

// Orders' own minimal view of inventory's saga reply (schema/events/inventory.stock.v1/StockRejected.v1.json).
public sealed record StockRejected(int OrderId, string Reason);

/// <summary>Ends an order that inventory could not hold. Only a Placed order moves, so a late or repeated reply changes nothing.</summary>
public sealed class StockRejectedHandler : IIntegrationEventHandler<OrdersDbContext, StockRejected>
{
    public Task HandleAsync(OrdersDbContext db, StockRejected data, EventEnvelope envelope, CancellationToken cancellationToken) =>
        db.Orders.Where(o => o.Id == data.OrderId && o.Status == OrderStatus.Placed)
            .ExecuteUpdateAsync(set => set.SetProperty(o => o.Status, OrderStatus.Rejected), cancellationToken);
}
