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

// Payments' own minimal view of inventory's saga step; the card is null only for orders placed before checkout took one.
public sealed record StockReserved(int OrderId, int UserId, decimal Total, StockReservedCard? Card = null);

public sealed record StockReservedCard(string Brand, string Last4);

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
/// Charges the order's card once stock is held, through the test provider (<see cref="TestCardProvider"/>): its decline
/// cards are declined with their reason, and any card declines a charge above the limit
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
        var declineReason = TestCardProvider.DeclineReason(data.Card?.Last4) ?? (data.Total > limit ? DeclineReason(limit) : null);
        var succeeded = declineReason is null;
        var payment = new Payment
        {
            OrderId = data.OrderId,
            UserId = data.UserId,
            Amount = data.Total,
            Method = PaymentMethod.Card,
            CardBrand = data.Card?.Brand,
            CardLast4 = data.Card?.Last4,
            DeclineReason = declineReason,
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
            Outbox.Add(db, PaymentsTopics.Payment, key, new PaymentFailed(data.OrderId, payment.Id, payment.Amount, declineReason!));
    }
}

/// <summary>
/// The test payment provider, with the card numbers payment providers publish for testing. It sees what orders lets
/// out of placeOrder, the brand and last four digits, and declines by the last four: 4000 0000 0000 0002 (card
/// declined) and 4000 0000 0000 9995 (insufficient funds); 4242 4242 4242 4242 and every other card is approved.
/// </summary>
public static class TestCardProvider
{
    private static readonly Dictionary<string, string> Declines = new(StringComparer.Ordinal)
    {
        ["0002"] = "Your card was declined by its bank. Try another card.",
        ["9995"] = "Your card has insufficient funds. Try another card.",
    };

    /// <summary>Why the card is declined, or null when the provider approves it.</summary>
    public static string? DeclineReason(string? last4) => last4 is not null && Declines.TryGetValue(last4, out var reason) ? reason : null;
}
