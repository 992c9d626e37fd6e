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
public sealed class Payment
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
    public DateTimeOffset CreatedAt { get; set; }
}
