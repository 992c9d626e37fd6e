using Federation.Subgraph.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Payments.Data;

public sealed class PaymentsDbContext(DbContextOptions<PaymentsDbContext> options) : DbContext(options)
{
    public DbSet<Payment> Payments => Set<Payment>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Payment>(payment =>
        {
            payment.Property(p => p.Amount).HasPrecision(12, 2);
            payment.Property(p => p.Status).HasConversion<string>().HasMaxLength(20);
            payment.Property(p => p.Method).HasConversion<string>().HasMaxLength(20);
            payment.Property(p => p.CardBrand).HasMaxLength(20);
            payment.Property(p => p.CardLast4).HasMaxLength(4);
            payment.Property(p => p.DeclineReason).HasMaxLength(500);
            // One payment per order: a redelivered OrderPlaced event must not charge twice.
            payment.HasIndex(p => p.OrderId).IsUnique();
            // paymentFailures pages declines newest first; the partial index holds only the few failed rows.
            payment.HasIndex(p => new { p.CreatedAt, p.Id }).HasFilter("status = 'Failed'").HasDatabaseName("ix_payments_failed_created_at_id");
        });

        modelBuilder.AddOutbox();
        modelBuilder.AddInbox();
    }
}
