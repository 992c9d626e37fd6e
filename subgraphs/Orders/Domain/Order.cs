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
    /// <summary>Sum of quantity x unit price; for orders placed before checkout had steps it equals the total.</summary>
    public decimal Subtotal { get; set; }

    public decimal ShippingCost { get; set; }
    public decimal Tax { get; set; }

    /// <summary>Subtotal + shipping + tax, all computed by orders.</summary>
    public decimal Total { get; set; }

    /// <summary>Null, like the address and card, only for orders placed before checkout had steps (the seeded history).</summary>
    public ShippingMethod? ShippingMethod { get; set; }

    public ShippingAddress? ShippingAddress { get; set; }
    public string? CardBrand { get; set; }
    public string? CardLast4 { get; set; }

    /// <summary>Why the saga rejected the order (from StockRejected or PaymentFailed); null unless Rejected.</summary>
    public string? RejectionReason { get; set; }

    public DateTimeOffset PlacedAt { get; set; }

    /// <summary>Null for orders that predate idempotency keys (the seeded history).</summary>
    public string? IdempotencyKey { get; set; }

    /// <summary>Hash of the request that used <see cref="IdempotencyKey"/>, to refuse reusing a key for a different order.</summary>
    public string? RequestFingerprint { get; set; }

    public List<OrderLine> Lines { get; set; } = [];
}

/// <summary>Where an order ships, as it was when placed; stored in the order's own columns.</summary>
public sealed class ShippingAddress : Federation.Subgraph.GraphQL.IPostalAddress
{
    public string Name { get; set; } = "";
    public string Line1 { get; set; } = "";
    public string? Line2 { get; set; }
    public string City { get; set; } = "";
    public string? Region { get; set; }
    public string PostalCode { get; set; } = "";
    public string Country { get; set; } = "";

    public static ShippingAddress From(Federation.Subgraph.GraphQL.PostalAddress a) =>
        new() { Name = a.Name, Line1 = a.Line1, Line2 = a.Line2, City = a.City, Region = a.Region, PostalCode = a.PostalCode, Country = a.Country };
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
