namespace Federation.Subgraph.Seeding;

public enum SeedOrderStatus
{
    Confirmed,
    Rejected,
}

public sealed record SeedOrderLine(int ProductId, int Quantity, decimal UnitPrice);

public sealed record SeedOrder(
    int Id,
    int UserId,
    DateTimeOffset PlacedAt,
    IReadOnlyList<SeedOrderLine> Lines,
    SeedOrderStatus Status,
    string PaymentMethod)
{
    public decimal Total => Lines.Sum(l => l.Quantity * l.UnitPrice);
}

/// <summary>
/// The shared history every seed agrees on: which user bought what, when, at which price, and how it
/// ended. Orders, payments and reviews each seed their own tables from it, so the 1,000 historical
/// orders are the same in every database without one service reading another's.
/// </summary>
public static class SeedPlan
{
    public const int UserCount = 50;
    public const int ProductCount = 500;
    public const int CategoryCount = 12;
    public const int OrderCount = 1000;
    public const int MaxQuantity = 3;

    /// <summary>The first order's date as written; seeds use <see cref="FirstOrderAt"/>, moved by <see cref="SeedClock"/>.</summary>
    public static readonly DateTimeOffset FixedFirstOrderAt = new(2025, 6, 1, 8, 0, 0, TimeSpan.Zero);

    /// <summary>Where the written history ends: a quarter of an hour after the last order, so its outcome notification and payment fit.</summary>
    public static DateTimeOffset FixedHistoryEnd => FixedOrders.Value[^1].PlacedAt.AddMinutes(15);

    public static DateTimeOffset FirstOrderAt => SeedClock.Shift(FixedFirstOrderAt);

    public static readonly IReadOnlyList<string> PaymentMethods = ["CARD", "PAYPAL", "BANK_TRANSFER", "GIFT_CARD"];

    private static readonly (decimal Min, decimal Max)[] CategoryPriceRanges =
    [
        (15m, 450m), (12m, 1200m), (8m, 320m), (35m, 900m), (6m, 380m), (9m, 240m),
        (19m, 260m), (5m, 75m), (5m, 150m), (4m, 180m), (6m, 210m), (5m, 190m),
    ];

    private static readonly Lazy<decimal[]> Prices = new(CreatePrices);
    private static readonly Lazy<IReadOnlyList<SeedOrder>> FixedOrders = new(CreateOrders);
    private static readonly Lazy<IReadOnlyList<SeedOrder>> AllOrders =
        new(() => FixedOrders.Value.Select(o => o with { PlacedAt = SeedClock.Shift(o.PlacedAt) }).ToList());

    public static int CategoryOf(int productId) => (productId - 1) % CategoryCount + 1;

    /// <summary>Every 25th product starts sold out; inventory seeds its stock and catalog its inStock flag from this.</summary>
    public static bool InitiallyInStock(int productId) => productId % 25 != 0;

    /// <summary>The list price of a product today, ending in .99 or .49; historical lines may be cheaper.</summary>
    public static decimal ProductPrice(int productId) =>
        productId is >= 1 and <= ProductCount
            ? Prices.Value[productId - 1]
            : throw new ArgumentOutOfRangeException(nameof(productId), productId, "Seeded products are 1..500.");

    /// <summary>Orders 1..1000, oldest first; ids grow with <see cref="SeedOrder.PlacedAt"/>.</summary>
    public static IReadOnlyList<SeedOrder> Orders => AllOrders.Value;

    /// <summary>Distinct (user, product) pairs of confirmed orders, in order of first purchase.</summary>
    public static IEnumerable<(int UserId, int ProductId, DateTimeOffset FirstBoughtAt)> Purchases() =>
        Orders.Where(o => o.Status == SeedOrderStatus.Confirmed)
            .SelectMany(o => o.Lines.Select(l => (o.UserId, l.ProductId, o.PlacedAt)))
            .DistinctBy(p => (p.UserId, p.ProductId));

    private static decimal[] CreatePrices()
    {
        // `new Random(int)` uses the legacy algorithm, which .NET keeps stable across versions.
        var random = new Random(20250601);
        var prices = new decimal[ProductCount];
        for (var id = 1; id <= ProductCount; id++)
        {
            var (min, max) = CategoryPriceRanges[CategoryOf(id) - 1];
            var whole = Math.Floor(min + (decimal)random.NextDouble() * (max - min));
            prices[id - 1] = Math.Max(1m, whole) + (random.Next(2) == 0 ? 0.99m : 0.49m);
        }
        return prices;
    }

    private static List<SeedOrder> CreateOrders()
    {
        var random = new Random(20250602);
        var orders = new List<SeedOrder>(OrderCount);
        var placedAt = FixedFirstOrderAt;
        for (var id = 1; id <= OrderCount; id++)
        {
            placedAt = placedAt.AddMinutes(60 + random.Next(600));
            var userId = 1 + random.Next(UserCount);
            var lineCount = 1 + random.Next(5);
            var products = new HashSet<int>();
            var lines = new List<SeedOrderLine>(lineCount);
            while (lines.Count < lineCount)
            {
                var productId = 1 + random.Next(ProductCount);
                if (!products.Add(productId))
                    continue;
                // Some orders were placed during a sale: the line keeps the price paid then.
                var discount = random.Next(5) == 0 ? 0.9m : 1m;
                var unitPrice = Math.Round(ProductPrice(productId) * discount, 2, MidpointRounding.AwayFromZero);
                lines.Add(new SeedOrderLine(productId, 1 + random.Next(MaxQuantity), unitPrice));
            }
            var status = random.Next(100) < 8 ? SeedOrderStatus.Rejected : SeedOrderStatus.Confirmed;
            var method = PaymentMethods[random.Next(PaymentMethods.Count)];
            orders.Add(new SeedOrder(id, userId, placedAt, lines, status, method));
        }
        return orders;
    }
}
