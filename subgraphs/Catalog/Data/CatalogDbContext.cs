using Federation.Subgraph.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Data;

public sealed class CatalogDbContext(DbContextOptions<CatalogDbContext> options) : DbContext(options)
{
    public DbSet<Product> Products => Set<Product>();
    public DbSet<Category> Categories => Set<Category>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Category>(category =>
        {
            category.Property(c => c.Name).HasMaxLength(100);
            category.Property(c => c.Slug).HasMaxLength(100);
            category.HasIndex(c => c.Slug).IsUnique();
        });

        modelBuilder.Entity<Product>(product =>
        {
            product.Property(p => p.Name).HasMaxLength(Product.NameMaxLength);
            product.Property(p => p.Description).HasMaxLength(Product.DescriptionMaxLength);
            product.Property(p => p.Price).HasPrecision(10, 2);
            product.Property(p => p.RatingAverage).HasPrecision(3, 2);
            product.HasOne<Category>().WithMany().HasForeignKey(p => p.CategoryId).OnDelete(DeleteBehavior.Restrict);

            // One index per sort order: keyset pagination seeks (sort key, id) instead of OFFSET scans.
            product.HasIndex(p => new { p.Price, p.Id });
            product.HasIndex(p => new { p.Name, p.Id });
            product.HasIndex(p => new { p.CreatedAt, p.Id });
            product.HasIndex(p => new { p.RatingAverage, p.Id });
            product.HasIndex(p => new { p.CategoryId, p.Id });
        });

        modelBuilder.AddOutbox();
        modelBuilder.AddInbox();
    }
}
