using Federation.Subgraph.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Reviews.Data;

public sealed class ReviewsDbContext(DbContextOptions<ReviewsDbContext> options) : DbContext(options)
{
    public DbSet<Review> Reviews => Set<Review>();
    public DbSet<Purchase> Purchases => Set<Purchase>();
    public DbSet<Product> Products => Set<Product>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Review>(review =>
        {
            review.Property(r => r.Body).HasMaxLength(Review.BodyMaxLength);
            review.ToTable(t => t.HasCheckConstraint("ck_reviews_rating", $"rating BETWEEN {Review.MinRating} AND {Review.MaxRating}"));
            // One review per user and product; concurrent duplicates lose at this index.
            review.HasIndex(r => new { r.UserId, r.ProductId }).IsUnique();
            // Product.reviews and User.reviews page newest first per owner.
            review.HasIndex(r => new { r.ProductId, r.CreatedAt, r.Id });
            review.HasIndex(r => new { r.UserId, r.CreatedAt, r.Id });
            // Product.reviews by rating: HIGHEST_RATING reads it backwards in order; LOWEST_RATING (rating ascending, ties
            // newest first) reads it forwards and sorts only the rows of one rating, incrementally.
            review.HasIndex(r => new { r.ProductId, r.Rating, r.CreatedAt, r.Id });
        });

        modelBuilder.Entity<Purchase>(purchase => purchase.HasKey(p => new { p.UserId, p.ProductId }));
        // Ids come from catalog, never from a sequence here.
        modelBuilder.Entity<Product>(product => product.Property(p => p.Id).ValueGeneratedNever());

        modelBuilder.AddOutbox();
        modelBuilder.AddInbox();
    }
}
