using System.Globalization;
using Federation.Subgraph.GraphQL;
using GraphQL;
using Microsoft.EntityFrameworkCore;

namespace Reviews.Data;

/// <summary>How a reviews connection is sorted. Ties of a rating sort are newest first, then by id.</summary>
public enum ReviewOrder
{
    Newest,
    HighestRating,
    LowestRating,
}

/// <summary>Where a review stands in a rating-sorted list; the cursor names the sort, so a cursor of another sort is refused.</summary>
public readonly record struct RatedPosition(ReviewOrder Order, int Rating, DateTimeOffset At, int Id)
{
    public static RatedPosition Of(ReviewOrder order, Review review) => new(order, review.Rating, review.CreatedAt.ToUniversalTime(), review.Id);

    public string ToCursor() =>
        Cursor.Encode(string.Join('|', Order.ToString(), Rating.ToString(CultureInfo.InvariantCulture), At.ToString("O", CultureInfo.InvariantCulture)), Id);

    public static RatedPosition Parse(ReviewOrder order, string cursor)
    {
        var (value, id) = Cursor.Decode(cursor);
        var parts = value.Split('|');
        if (parts.Length == 3 && parts[0] == order.ToString()
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var rating)
            && DateTimeOffset.TryParseExact(parts[2], "O", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)
            && id is > 0 and <= int.MaxValue)
            return new RatedPosition(order, rating, at.ToUniversalTime(), (int)id);
        throw new ExecutionError("The 'after' cursor is not valid for this order. Pass an endCursor from a previous page of the same order.") { Code = "BAD_CURSOR" };
    }
}

public sealed record RatedReviewPage(ReviewOwner Owner, ReviewOrder Order, int OwnerId, int Take, RatedPosition? After);

/// <summary>
/// Pages of many owners' reviews sorted by rating, one LATERAL subquery per owner like <see cref="ReviewPageDataLoader"/>;
/// the seek compares (rating, created_at, id) so no page is read with OFFSET.
/// </summary>
public sealed class RatedReviewPageDataLoader(IDbContextFactory<ReviewsDbContext> factory) : BatchDataLoader<RatedReviewPage, IReadOnlyList<Review>>
{
    protected override async Task<IReadOnlyDictionary<RatedReviewPage, IReadOnlyList<Review>>> FetchAsync(IReadOnlyCollection<RatedReviewPage> keys, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var result = new Dictionary<RatedReviewPage, IReadOnlyList<Review>>();
        foreach (var group in keys.GroupBy(k => (k.Owner, k.Order, k.Take, k.After)))
        {
            var (owner, order, take, after) = group.Key;
            var highest = order == ReviewOrder.HighestRating;
            var ownerIds = group.Select(k => k.OwnerId).Distinct().ToArray();
            object[] parameters = after is { } p ? [ownerIds, take, p.Rating, p.At, p.Id] : [ownerIds, take];
            var rows = await db.Reviews.FromSqlRaw(PageSql(owner, order, after is not null), parameters).AsNoTracking().ToListAsync(cancellationToken);
            var byOwner = rows.GroupBy(r => owner == ReviewOwner.Product ? r.ProductId : r.UserId).ToDictionary(
                g => g.Key,
                g => (highest ? g.OrderByDescending(r => r.Rating) : g.OrderBy(r => r.Rating))
                    .ThenByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id).ToList());
            foreach (var key in group)
                result[key] = byOwner.GetValueOrDefault(key.OwnerId) ?? [];
        }
        return result;
    }

    /// <summary>
    /// The statement for one batch: {0} the owner ids, {1} the page size, and with a seek {2} rating, {3} created_at, {4} id.
    /// Product pages read the (product_id, rating, created_at, id) index.
    /// </summary>
    public static string PageSql(ReviewOwner owner, ReviewOrder order, bool seek)
    {
        var ownerColumn = owner == ReviewOwner.Product ? "product_id" : "user_id";
        var highest = order == ReviewOrder.HighestRating;
        // Rating in the order's direction, then newest first in both: LOWEST mixes directions, so its seek is spelled out.
        var after = !seek ? ""
            : highest ? "AND (rating, created_at, id) < ({2}, {3}, {4})"
            : "AND (rating > {2} OR (rating = {2} AND (created_at, id) < ({3}, {4})))";
        return $$"""
            SELECT t.* FROM unnest({0}) AS o(id)
            CROSS JOIN LATERAL (
              SELECT * FROM reviews WHERE {{ownerColumn}} = o.id {{after}}
              ORDER BY rating {{(highest ? "DESC" : "ASC")}}, created_at DESC, id DESC LIMIT {1}) AS t
            """;
    }
}
