using Federation.Subgraph.GraphQL;
using Microsoft.EntityFrameworkCore;

namespace Reviews.Data;

public sealed class ReviewByIdDataLoader(IDbContextFactory<ReviewsDbContext> factory) : BatchDataLoader<int, Review>
{
    protected override async Task<IReadOnlyDictionary<int, Review>> FetchAsync(IReadOnlyCollection<int> keys, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Reviews.AsNoTracking().Where(r => keys.Contains(r.Id)).ToDictionaryAsync(r => r.Id, cancellationToken);
    }
}

/// <summary>Whose reviews a connection lists.</summary>
public enum ReviewOwner
{
    Product,
    User,
}

/// <summary>Pages of many products' or users' reviews, newest first, from the (owner_id, created_at, id) index; the scope is the owner kind.</summary>
public sealed class ReviewPageDataLoader(IDbContextFactory<ReviewsDbContext> factory) : KeysetPageDataLoader<ReviewsDbContext, ReviewOwner, Review>(factory)
{
    protected override string Table => "reviews";

    protected override string SortColumn => "created_at";

    protected override string OwnerColumn(ReviewOwner owner) => owner == ReviewOwner.Product ? "product_id" : "user_id";

    protected override DbSet<Review> Rows(ReviewsDbContext db) => db.Reviews;

    protected override int OwnerOf(Review review, ReviewOwner owner) => owner == ReviewOwner.Product ? review.ProductId : review.UserId;

    public override KeysetPosition PositionOf(Review review) => new(review.CreatedAt, review.Id);
}

public sealed class ReviewCountDataLoader(IDbContextFactory<ReviewsDbContext> factory) : BatchDataLoader<(ReviewOwner Owner, int OwnerId), int>
{
    protected override async Task<IReadOnlyDictionary<(ReviewOwner Owner, int OwnerId), int>> FetchAsync(IReadOnlyCollection<(ReviewOwner Owner, int OwnerId)> keys, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var result = new Dictionary<(ReviewOwner, int), int>();
        var productIds = keys.Where(k => k.Owner == ReviewOwner.Product).Select(k => k.OwnerId).ToArray();
        if (productIds.Length > 0)
        {
            var counts = await db.Reviews.Where(r => productIds.Contains(r.ProductId)).GroupBy(r => r.ProductId)
                .Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
            foreach (var count in counts)
                result[(ReviewOwner.Product, count.Key)] = count.Count;
        }
        var userIds = keys.Where(k => k.Owner == ReviewOwner.User).Select(k => k.OwnerId).ToArray();
        if (userIds.Length > 0)
        {
            var counts = await db.Reviews.Where(r => userIds.Contains(r.UserId)).GroupBy(r => r.UserId)
                .Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
            foreach (var count in counts)
                result[(ReviewOwner.User, count.Key)] = count.Count;
        }
        return result;
    }
}

/// <summary>
/// Whether a user may review each product now: they bought it (reviews' purchase record, fed by OrderConfirmed)
/// and have not reviewed it yet; the same rule <c>addReview</c> enforces. One statement for every product of a request.
/// </summary>
public sealed class ViewerCanReviewDataLoader(IDbContextFactory<ReviewsDbContext> factory) : BatchDataLoader<(int UserId, int ProductId), bool>
{
    protected override async Task<IReadOnlyDictionary<(int UserId, int ProductId), bool>> FetchAsync(IReadOnlyCollection<(int UserId, int ProductId)> keys, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var result = keys.ToDictionary(k => k, _ => false);
        foreach (var byUser in keys.GroupBy(k => k.UserId))
        {
            var productIds = byUser.Select(k => k.ProductId).ToArray();
            var reviewable = await db.Purchases
                .Where(p => p.UserId == byUser.Key && productIds.Contains(p.ProductId))
                .Where(p => !db.Reviews.Any(r => r.UserId == p.UserId && r.ProductId == p.ProductId))
                .Select(p => p.ProductId)
                .ToListAsync(cancellationToken);
            foreach (var productId in reviewable)
                result[(byUser.Key, productId)] = true;
        }
        return result;
    }
}
