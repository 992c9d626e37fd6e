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

/// <summary>One page of an owner's reviews, newest first, strictly after the cursor position when given.</summary>
public sealed record ReviewPage(ReviewOwner Owner, int OwnerId, int Take, DateTimeOffset? AfterCreatedAt, int AfterId);

/// <summary>
/// Pages of many products' or users' reviews in one statement: a LATERAL subquery per owner id reads
/// just that owner's page from its (owner_id, created_at, id) index.
/// </summary>
public sealed class ReviewPageDataLoader(IDbContextFactory<ReviewsDbContext> factory) : BatchDataLoader<ReviewPage, IReadOnlyList<Review>>
{
    protected override async Task<IReadOnlyDictionary<ReviewPage, IReadOnlyList<Review>>> FetchAsync(IReadOnlyCollection<ReviewPage> keys, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var result = new Dictionary<ReviewPage, IReadOnlyList<Review>>();
        foreach (var group in keys.GroupBy(k => (k.Owner, k.Take, k.AfterCreatedAt, k.AfterId)))
        {
            var (owner, take, afterCreatedAt, afterId) = group.Key;
            var ownerIds = group.Select(k => k.OwnerId).Distinct().ToArray();
            // The column name comes from the enum, never from input.
            var column = owner == ReviewOwner.Product ? "product_id" : "user_id";
            var seek = afterCreatedAt is null ? "" : "AND (created_at, id) < ({2}, {3})";
            var sql = $$"""
                SELECT r.* FROM unnest({0}) AS o(id)
                CROSS JOIN LATERAL (
                  SELECT * FROM reviews WHERE {{column}} = o.id {{seek}}
                  ORDER BY created_at DESC, id DESC LIMIT {1}) AS r
                """;
            object[] parameters = afterCreatedAt is { } at ? [ownerIds, take, at, afterId] : [ownerIds, take];
            var reviews = await db.Reviews.FromSqlRaw(sql, parameters).AsNoTracking().ToListAsync(cancellationToken);
            var byOwner = reviews.GroupBy(r => owner == ReviewOwner.Product ? r.ProductId : r.UserId)
                .ToDictionary(g => g.Key, g => g.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id).ToList());
            foreach (var key in group)
                result[key] = byOwner.GetValueOrDefault(key.OwnerId) ?? [];
        }
        return result;
    }
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
