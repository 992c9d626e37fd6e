namespace Orders.Domain;

public enum OrderStatus
{
    Placed,
    Confirmed,
    Rejected,
}

public sealed class Order
{
    public const int IdempotencyKeyMaxLength = 100;

    public int Id { get; set; }
    public int UserId { get; set; }
    public OrderStatus Status { get; set; }
    public decimal Total { get; set; }
    public DateTimeOffset PlacedAt { get; set; }

    /// <summary>Null for orders that predate idempotency keys (the seeded history).</summary>
    public string? IdempotencyKey { get; set; }

    /// <summary>Hash of the request that used <see cref="IdempotencyKey"/>, to refuse reusing a key for a different order.</summary>
    public string? RequestFingerprint { get; set; }

    public List<OrderLine> Lines { get; set; } = [];
}

public sealed class OrderLine
{
    public const int MinQuantity = 1;
    public const int MaxQuantity = 100;

    public int Id { get; set; }
    public int OrderId { get; set; }
    public int ProductId { get; set; }
    public int Quantity { get; set; }

    /// <summary>The price when the order was placed; later catalog price changes do not touch it.</summary>
    public decimal UnitPrice { get; set; }
}
