using Federation.Subgraph.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Inventory.Data;

public sealed class InventoryDbContext(DbContextOptions<InventoryDbContext> options) : DbContext(options)
{
    public DbSet<StockItem> StockItems => Set<StockItem>();
    public DbSet<Reservation> Reservations => Set<Reservation>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<StockItem>(stock =>
        {
            stock.HasKey(s => s.ProductId);
            // Catalog assigns product ids; inventory only mirrors them.
            stock.Property(s => s.ProductId).ValueGeneratedNever();
            stock.Ignore(s => s.Available);
            // The last line of defence behind adjustStock's conditional update: stock never goes negative.
            stock.ToTable(t =>
            {
                t.HasCheckConstraint("ck_stock_items_on_hand", $"on_hand >= 0 AND on_hand <= {StockItem.MaxOnHand}");
                t.HasCheckConstraint("ck_stock_items_reserved", "reserved >= 0 AND reserved <= on_hand");
            });
        });

        modelBuilder.Entity<Reservation>(reservation => reservation.HasKey(r => new { r.OrderId, r.ProductId }));

        modelBuilder.AddOutbox();
        modelBuilder.AddInbox();
    }
}
