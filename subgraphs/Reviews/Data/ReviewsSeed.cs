using System.Globalization;
using Federation.Subgraph.Messaging.Outbox;
using Federation.Subgraph.Seeding;
using Microsoft.EntityFrameworkCore;
using Reviews.Events;

namespace Reviews.Data;

/// <summary>
/// Purchases of the confirmed orders in <see cref="SeedPlan"/> and 2,000 reviews of them: each by a user
/// who bought the product, at most one per user and product.
/// </summary>
public static class ReviewsSeed
{
    public const int ReviewCount = 2000;

    private static readonly string[][] BodiesByRating =
    [
        ["Broke within a week. Would not buy again.", "Not as described, and support never answered.", "Cheap materials; it went straight back."],
        ["Does the job, barely. Expected more for the price.", "Looks nice but feels flimsy.", "Arrived late and a bit scratched."],
        ["Fine for everyday use, nothing special.", "Decent value; a few rough edges.", "Works as expected, average quality."],
        ["Solid and well made. Small quibbles only.", "Good value for money, would recommend.", "Very happy with it after a month of use."],
        ["Excellent! Exactly what I was looking for.", "Outstanding quality, worth every cent.", "Best purchase this year; bought a second one as a gift."],
    ];

    public static async Task SeedAsync(ReviewsDbContext db, CancellationToken cancellationToken)
    {
        // Separate from the purchases guard: a database seeded before the product read model existed gets it too.
        if (!await db.Products.AnyAsync(cancellationToken))
        {
            db.Products.AddRange(Enumerable.Range(1, SeedPlan.ProductCount).Select(id => new Product { Id = id }));
            await db.SaveChangesAsync(cancellationToken);
        }
        if (await db.Purchases.AnyAsync(cancellationToken))
            return;

        var purchases = SeedPlan.Purchases().ToList();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Purchases.AddRange(purchases.Select(p => new Purchase { UserId = p.UserId, ProductId = p.ProductId, PurchasedAt = p.FirstBoughtAt }));
        foreach (var review in CreateReviews(purchases))
        {
            db.Reviews.Add(review);
            // Catalog learns the seeded ratings from these events, exactly as it learns later reviews.
            Outbox.Add(db, ReviewsTopics.Review, review.Id.ToString(CultureInfo.InvariantCulture), ReviewAdded.From(review));
        }
        await db.SaveChangesAsync(cancellationToken);
        // Reviews were inserted with explicit ids; move the identity sequence past them.
        await db.Database.ExecuteSqlRawAsync(
            "SELECT setval(pg_get_serial_sequence('reviews', 'id'), (SELECT max(id) FROM reviews));", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public static IEnumerable<Review> CreateReviews(IReadOnlyList<(int UserId, int ProductId, DateTimeOffset FirstBoughtAt)> purchases)
    {
        if (purchases.Count < ReviewCount)
            throw new InvalidOperationException($"The seed plan has {purchases.Count} purchases; {ReviewCount} reviews need at least as many.");

        // `new Random(int)` uses the legacy algorithm, which .NET keeps stable across versions.
        var random = new Random(20250603);
        var chosen = purchases.Select(p => (Purchase: p, Order: random.Next())).OrderBy(p => p.Order).Take(ReviewCount)
            .Select(p => p.Purchase)
            .Select(p => (p.UserId, p.ProductId, CreatedAt: SeedClock.NotAfterNow(p.FirstBoughtAt.AddDays(2 + random.Next(40)).AddMinutes(random.Next(1440)))))
            .OrderBy(p => p.CreatedAt).ThenBy(p => p.UserId).ThenBy(p => p.ProductId)
            .ToList();
        for (var i = 0; i < chosen.Count; i++)
        {
            // Skewed towards good ratings, as real shops are.
            var rating = random.Next(10) switch { 0 => 1, 1 => 2, 2 or 3 => 3, 4 or 5 or 6 => 4, _ => 5 };
            var bodies = BodiesByRating[rating - 1];
            yield return new Review
            {
                Id = i + 1,
                UserId = chosen[i].UserId,
                ProductId = chosen[i].ProductId,
                Rating = rating,
                Body = bodies[random.Next(bodies.Length)],
                CreatedAt = chosen[i].CreatedAt,
            };
        }
    }
}
