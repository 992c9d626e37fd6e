using Federation.Subgraph.GraphQL;

namespace Payments.Data;

public enum PaymentStatus
{
    Succeeded,
    Failed,
}

public enum PaymentMethod
{
    Card,
    Paypal,
    BankTransfer,
    GiftCard,
}

/// <summary>One charge attempt per order; the amount is the order total when it was placed.</summary>
public sealed class Payment : INewestFirstRow
{
    public int Id { get; set; }
    public int OrderId { get; set; }

    /// <summary>
    /// Who placed the order, from the saga's StockReserved event: the payment's owner for reads. Null only for payments
    /// charged before payments recorded it; no other service could fill them in, so only admins see those.
    /// </summary>
    public int? UserId { get; set; }
    public decimal Amount { get; set; }
    public PaymentStatus Status { get; set; }
    public PaymentMethod Method { get; set; }

    /// <summary>Brand and last four digits of the card charged, never the full number; null for payments from before checkout took a card.</summary>
    public string? CardBrand { get; set; }

    public string? CardLast4 { get; set; }

    /// <summary>The provider's reason for a failed payment, as told to the shopper.</summary>
    public string? DeclineReason { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
