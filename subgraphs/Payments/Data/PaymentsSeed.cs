using Federation.Subgraph.Seeding;
using Microsoft.EntityFrameworkCore;

namespace Payments.Data;

/// <summary>One payment per historical order of <see cref="SeedPlan"/>: succeeded for confirmed orders, failed for rejected ones.</summary>
public static class PaymentsSeed
{
    public static async Task SeedAsync(PaymentsDbContext db, CancellationToken cancellationToken)
    {
        if (await db.Payments.AnyAsync(cancellationToken))
            return;

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Payments.AddRange(SeedPlan.Orders.Select(order => new Payment
        {
            Id = order.Id,
            OrderId = order.Id,
            UserId = order.UserId,
            Amount = order.Total,
            Status = order.Status == SeedOrderStatus.Confirmed ? PaymentStatus.Succeeded : PaymentStatus.Failed,
            Method = Enum.Parse<PaymentMethod>(order.PaymentMethod.Replace("_", string.Empty), ignoreCase: true),
            CreatedAt = order.PlacedAt.AddMinutes(2),
        }));
        await db.SaveChangesAsync(cancellationToken);
        // Payments were inserted with explicit ids; move the identity sequence past them.
        await db.Database.ExecuteSqlRawAsync(
            "SELECT setval(pg_get_serial_sequence('payments', 'id'), (SELECT max(id) FROM payments));", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
