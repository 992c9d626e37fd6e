using Federation.Subgraph.GraphQL;
using Federation.Subgraph.Messaging;
using Microsoft.EntityFrameworkCore;
using Orders.Domain;

namespace Orders.Data;

public sealed class OrdersDbContext(DbContextOptions<OrdersDbContext> options) : DbContext(options)
{
    public DbSet<Order> Orders => Set<Order>();
    public DbSet<OrderLine> OrderLines => Set<OrderLine>();
    public DbSet<Product> Products => Set<Product>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Order>(order =>
        {
            order.Property(o => o.Status).HasConversion<string>().HasMaxLength(20);
            order.Property(o => o.Total).HasPrecision(12, 2);
            order.Property(o => o.Subtotal).HasPrecision(12, 2);
            order.Property(o => o.ShippingCost).HasPrecision(10, 2);
            order.Property(o => o.Tax).HasPrecision(10, 2);
            order.Property(o => o.ShippingMethod).HasConversion<string>().HasMaxLength(20);
            order.Property(o => o.CardBrand).HasMaxLength(20);
            order.Property(o => o.CardLast4).HasMaxLength(4);
            order.Property(o => o.RejectionReason).HasMaxLength(500);
            order.OwnsOne(o => o.ShippingAddress, address =>
            {
                address.Property(a => a.Name).HasMaxLength(PostalAddress.NameMaxLength);
                address.Property(a => a.Line1).HasMaxLength(PostalAddress.LineMaxLength);
                address.Property(a => a.Line2).HasMaxLength(PostalAddress.LineMaxLength);
                address.Property(a => a.City).HasMaxLength(PostalAddress.CityMaxLength);
                address.Property(a => a.Region).HasMaxLength(PostalAddress.RegionMaxLength);
                address.Property(a => a.PostalCode).HasMaxLength(PostalAddress.PostalCodeMaxLength);
                address.Property(a => a.Country).HasMaxLength(2);
            });
            order.Property(o => o.IdempotencyKey).HasMaxLength(Order.IdempotencyKeyMaxLength);
            order.Property(o => o.RequestFingerprint).HasMaxLength(64);
            // The arbiter of placeOrder's insert-or-get: NULLs (seeded history) never conflict.
            order.HasIndex(o => o.IdempotencyKey).IsUnique();
            // User.orders pages newest first per user.
            order.HasIndex(o => new { o.UserId, o.PlacedAt, o.Id });
            order.HasMany(o => o.Lines).WithOne().HasForeignKey(l => l.OrderId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<OrderLine>(line =>
        {
            line.Property(l => l.UnitPrice).HasPrecision(10, 2);
            line.HasIndex(l => new { l.OrderId, l.ProductId }).IsUnique();
        });

        modelBuilder.Entity<Product>(product =>
        {
            product.Property(p => p.Id).ValueGeneratedNever();
            product.Property(p => p.Price).HasPrecision(10, 2);
        });

        modelBuilder.AddInbox();
        modelBuilder.AddOutbox();
    }
}
