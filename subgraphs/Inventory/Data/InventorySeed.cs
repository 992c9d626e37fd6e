using System.Globalization;
using Federation.Subgraph.Messaging.Outbox;
using Federation.Subgraph.Seeding;
using Inventory.Events;
using Microsoft.EntityFrameworkCore;

namespace Inventory.Data;

/// <summary>
/// A stock item for each catalog product 1..500. Every 25th product is sold out and every other 10th
/// runs low (1-4 on hand), so out-of-stock and low-stock paths have data on every machine.
/// </summary>
public static class InventorySeed
{
    /// <summary>When the seeded stock was counted as written; moved with the rest of the seeded history (<see cref="SeedClock"/>).</summary>
    public static readonly DateTimeOffset FixedCountedAt = new(2026, 1, 1, 6, 0, 0, TimeSpan.Zero);

    public static DateTimeOffset CountedAt => SeedClock.NotAfterNow(SeedClock.Shift(FixedCountedAt));

    public static async Task SeedAsync(InventoryDbContext db, CancellationToken cancellationToken)
    {
        if (await db.StockItems.AnyAsync(cancellationToken))
            return;
        foreach (var item in CreateStockItems())
        {
            db.StockItems.Add(item);
            // Catalog learns the seeded stock (Product.inStock) from these events, as it learns later changes.
            Outbox.Add(db, InventoryTopics.Stock, item.ProductId.ToString(CultureInfo.InvariantCulture), StockChanged.From(item));
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    public static IEnumerable<StockItem> CreateStockItems()
    {
        // A fixed seed with the legacy algorithm that `new Random(int)` keeps stable across .NET versions.
        var random = new Random(20260103);
        for (var productId = 1; productId <= SeedPlan.ProductCount; productId++)
        {
            var onHand = !SeedPlan.InitiallyInStock(productId) ? 0
                : productId % 10 == 0 ? 1 + random.Next(4)
                : 20 + random.Next(181);
            var reserved = onHand >= 20 && random.Next(5) == 0 ? 1 + random.Next(5) : 0;
            yield return new StockItem { ProductId = productId, OnHand = onHand, Reserved = reserved, UpdatedAt = CountedAt };
        }
    }
}
