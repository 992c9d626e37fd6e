using Federation.Subgraph.Data;
using Federation.Subgraph.Messaging.Consuming;
using Federation.Subgraph.Messaging.Events;
using Federation.Subgraph.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Payments.Data;

namespace Payments.Events;

public static class PaymentsTopics
{
    /// <summary>Payment outcomes, keyed by order id.</summary>
    public const string Payment = "payments.payment.v1";
}

/// <summary>Topics payments reads; the publisher's contract is schema/events/inventory.stock.v1.</summary>
public static class ConsumedTopics
{
    public const string InventoryStock = "inventory.stock.v1";
}

// Payments' own minimal view of inventory's saga step.
public sealed record StockReserved(int OrderId, int UserId, decimal Total);

public sealed record PaymentSucceeded(int OrderId, int PaymentId, decimal Amount) : IIntegrationEvent
{
    public static string EventType => nameof(PaymentSucceeded);
    public static int SchemaVersion => 1;
}

public sealed record PaymentFailed(int OrderId, int PaymentId, decimal Amount, string Reason) : IIntegrationEvent
{
    public static string EventType => nameof(PaymentFailed);
    public static int SchemaVersion => 1;
}

/// <summary>
/// Charges the test card once stock is held. The test card declines any charge above its limit
/// (<c>Payments:TestCardLimit</c>, 5,000.00 by default), so both saga branches are reachable on purpose.
/// </summary>
public sealed class StockReservedHandler(IConfiguration configuration) : IIntegrationEventHandler<PaymentsDbContext, StockReserved>
{
    public const decimal DefaultTestCardLimit = 5_000m;

    /// <summary>Travels in PaymentFailed and OrderRejected to the shopper's order page and notification.</summary>
    public static string DeclineReason(decimal limit) => $"The test card declines charges above {MoneyText.Format(limit)}.";

    public async Task HandleAsync(PaymentsDbContext db, StockReserved data, EventEnvelope envelope, CancellationToken cancellationToken)
    {
        // The unique index on order id is the real guard; this check keeps a second reservation reply from failing the transaction.
        if (await db.Payments.AnyAsync(p => p.OrderId == data.OrderId, cancellationToken))
            return;

        var limit = configuration.GetValue("Payments:TestCardLimit", DefaultTestCardLimit);
        var succeeded = data.Total <= limit;
        var payment = new Payment
        {
            OrderId = data.OrderId,
            UserId = data.UserId,
            Amount = data.Total,
            Method = PaymentMethod.Card,
            Status = succeeded ? PaymentStatus.Succeeded : PaymentStatus.Failed,
            CreatedAt = DateTimeOffset.UtcNow,
        };
        db.Payments.Add(payment);
        // The payment id (in the event) exists only after the insert; the consumer's transaction is still open.
        await db.SaveChangesAsync(cancellationToken);
        var key = data.OrderId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (succeeded)
            Outbox.Add(db, PaymentsTopics.Payment, key, new PaymentSucceeded(data.OrderId, payment.Id, payment.Amount));
        else
            Outbox.Add(db, PaymentsTopics.Payment, key, new PaymentFailed(data.OrderId, payment.Id, payment.Amount, DeclineReason(limit)));
    }
}
