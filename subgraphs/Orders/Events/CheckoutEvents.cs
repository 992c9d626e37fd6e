using System.Globalization;
using Federation.Subgraph.Messaging.Consuming;
using Federation.Subgraph.Messaging.Events;
using Federation.Subgraph.Messaging.Outbox;
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
        OrderOutcome.SettleAsync(db, data.OrderId, OrderStatus.Rejected, data.Reason, cancellationToken);
}

/// <summary>Ends the saga for orders: paid orders are confirmed, declined ones rejected; only a Placed order moves.</summary>
public sealed class PaymentOutcomeHandler :
    IIntegrationEventHandler<OrdersDbContext, PaymentSucceeded>,
    IIntegrationEventHandler<OrdersDbContext, PaymentFailed>
{
    public Task HandleAsync(OrdersDbContext db, PaymentSucceeded data, EventEnvelope envelope, CancellationToken cancellationToken) =>
        OrderOutcome.SettleAsync(db, data.OrderId, OrderStatus.Confirmed, null, cancellationToken);

    public Task HandleAsync(OrdersDbContext db, PaymentFailed data, EventEnvelope envelope, CancellationToken cancellationToken) =>
        OrderOutcome.SettleAsync(db, data.OrderId, OrderStatus.Rejected, data.Reason, cancellationToken);
}

internal static class OrderOutcome
{
    /// <summary>
    /// Moves a Placed order to its final status and stages OrderConfirmed/OrderRejected in the consumer's transaction.
    /// The conditional UPDATE is the guard: a late or repeated reply matches no row and publishes nothing.
    /// </summary>
    public static async Task SettleAsync(OrdersDbContext db, int orderId, OrderStatus status, string? reason, CancellationToken cancellationToken)
    {
        var moved = await db.Orders.Where(o => o.Id == orderId && o.Status == OrderStatus.Placed)
            .ExecuteUpdateAsync(set => set.SetProperty(o => o.Status, status).SetProperty(o => o.RejectionReason, reason), cancellationToken);
        if (moved == 0)
            return;

        var order = await db.Orders.AsNoTracking().Include(o => o.Lines).SingleAsync(o => o.Id == orderId, cancellationToken);
        var key = orderId.ToString(CultureInfo.InvariantCulture);
        var now = DateTimeOffset.UtcNow;
        if (status == OrderStatus.Confirmed)
            Outbox.Add(db, OrdersTopics.Order, key, OrderConfirmed.From(order, now));
        else
            Outbox.Add(db, OrdersTopics.Order, key, OrderRejected.From(order, now, reason ?? "The order was rejected."));
    }
}
