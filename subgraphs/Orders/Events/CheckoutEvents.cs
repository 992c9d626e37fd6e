using Federation.Subgraph.Messaging.Consuming;
using Federation.Subgraph.Messaging.Events;
using Microsoft.EntityFrameworkCore;
using Orders.Data;
using Orders.Domain;

namespace Orders.Events;

// Orders' own minimal views of the saga replies (schema/events/inventory.stock.v1, schema/events/payments.payment.v1).
public sealed record StockRejected(int OrderId, string Reason);

public sealed record PaymentSucceeded(int OrderId);

public sealed record PaymentFailed(int OrderId, string Reason);

/// <summary>Ends an order that inventory could not hold. Only a Placed order moves, so a late or repeated reply changes nothing.</summary>
public sealed class StockRejectedHandler : IIntegrationEventHandler<OrdersDbContext, StockRejected>
{
    public Task HandleAsync(OrdersDbContext db, StockRejected data, EventEnvelope envelope, CancellationToken cancellationToken) =>
        db.Orders.Where(o => o.Id == data.OrderId && o.Status == OrderStatus.Placed)
            .ExecuteUpdateAsync(set => set.SetProperty(o => o.Status, OrderStatus.Rejected), cancellationToken);
}

/// <summary>Ends the saga for orders: paid orders are confirmed, declined ones rejected; only a Placed order moves.</summary>
public sealed class PaymentOutcomeHandler :
    IIntegrationEventHandler<OrdersDbContext, PaymentSucceeded>,
    IIntegrationEventHandler<OrdersDbContext, PaymentFailed>
{
    public Task HandleAsync(OrdersDbContext db, PaymentSucceeded data, EventEnvelope envelope, CancellationToken cancellationToken) =>
        MoveAsync(db, data.OrderId, OrderStatus.Confirmed, cancellationToken);

    public Task HandleAsync(OrdersDbContext db, PaymentFailed data, EventEnvelope envelope, CancellationToken cancellationToken) =>
        MoveAsync(db, data.OrderId, OrderStatus.Rejected, cancellationToken);

    private static Task MoveAsync(OrdersDbContext db, int orderId, OrderStatus status, CancellationToken cancellationToken) =>
        db.Orders.Where(o => o.Id == orderId && o.Status == OrderStatus.Placed)
            .ExecuteUpdateAsync(set => set.SetProperty(o => o.Status, status), cancellationToken);
}
