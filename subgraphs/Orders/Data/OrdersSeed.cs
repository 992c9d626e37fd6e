using Federation.Subgraph.Seeding;
using Microsoft.EntityFrameworkCore;
using Orders.Domain;

namespace Orders.Data;

/// <summary>The product prices and the 1,000 historical orders of <see cref="SeedPlan"/>.</summary>
public static class OrdersSeed
{
    public static async Task SeedAsync(OrdersDbContext db, CancellationToken cancellationToken)
    {
        if (await db.Products.AnyAsync(cancellationToken))
            return;

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Products.AddRange(Enumerable.Range(1, SeedPlan.ProductCount).Select(id => new Product { Id = id, Price = SeedPlan.ProductPrice(id) }));
        db.Orders.AddRange(SeedPlan.Orders.Select(ToOrder));
        await db.SaveChangesAsync(cancellationToken);
        // Orders were inserted with explicit ids; move the identity sequence past them.
        await db.Database.ExecuteSqlRawAsync(
            "SELECT setval(pg_get_serial_sequence('orders', 'id'), (SELECT max(id) FROM orders));", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static Order ToOrder(SeedOrder seed) => new()
    {
        Id = seed.Id,
        UserId = seed.UserId,
        Status = seed.Status == SeedOrderStatus.Confirmed ? OrderStatus.Confirmed : OrderStatus.Rejected,
        Subtotal = seed.Total,
        Total = seed.Total,
        PlacedAt = seed.PlacedAt,
        Lines = seed.Lines.Select(l => new OrderLine { ProductId = l.ProductId, Quantity = l.Quantity, UnitPrice = l.UnitPrice }).ToList(),
    };
}
