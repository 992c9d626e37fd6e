using GraphQL;
using GraphQL.Types;
using Federation.Subgraph.GraphQL;
using Microsoft.EntityFrameworkCore;
using Orders.Data;

namespace Orders.Types;

public sealed record SalesBucket(DateTimeOffset Start, int Placed, int Confirmed, int Rejected, decimal Revenue);

/// <summary>
/// Orders and revenue over a window of whole buckets ending with the current (partial) one. Revenue is the sum of the
/// totals of orders now confirmed; pending orders (still Placed) and rejected ones bring none.
/// </summary>
public sealed record SalesStats(int Minutes, int BucketMinutes, IReadOnlyList<SalesBucket> Buckets)
{
    public const int MaxMinutes = 43_200;
    public const int MaxBuckets = 200;

    public int Placed => Buckets.Sum(b => b.Placed);
    public int Confirmed => Buckets.Sum(b => b.Confirmed);
    public int Rejected => Buckets.Sum(b => b.Rejected);
    public int Pending => Placed - Confirmed - Rejected;
    public decimal Revenue => Buckets.Sum(b => b.Revenue);

    /// <summary>Revenue per confirmed order, rounded to the cent; null when no order in the window is confirmed.</summary>
    public decimal? AverageOrderValue => Confirmed == 0 ? null : Math.Round(Revenue / Confirmed, 2, MidpointRounding.AwayFromZero);

    public static (int Minutes, int BucketMinutes) Validate(int minutes, int bucketMinutes)
    {
        if (minutes is < 1 or > MaxMinutes)
            throw new ExecutionError($"'minutes' must be between 1 and {MaxMinutes}.") { Code = "BAD_USER_INPUT" };
        if (bucketMinutes < 1 || bucketMinutes > minutes || minutes % bucketMinutes != 0)
            throw new ExecutionError("'bucketMinutes' must be at least 1 and divide 'minutes'.") { Code = "BAD_USER_INPUT" };
        if (minutes / bucketMinutes > MaxBuckets)
            throw new ExecutionError($"'minutes' / 'bucketMinutes' must be at most {MaxBuckets} buckets.") { Code = "BAD_USER_INPUT" };
        return (minutes, bucketMinutes);
    }

    /// <summary>
    /// One statement: generate_series yields every bucket start (aligned with date_bin from the Unix epoch, so a bucket
    /// of a day starts at 00:00 UTC), buckets without orders come back as zero rows, and the range join keeps the
    /// placed_at index usable.
    /// </summary>
    public static async Task<SalesStats> LoadAsync(OrdersDbContext db, int minutes, int bucketMinutes, CancellationToken cancellationToken)
    {
        var count = minutes / bucketMinutes;
        var buckets = await db.Database.SqlQuery<SalesBucket>($"""
            WITH w AS (SELECT make_interval(mins => {bucketMinutes}) AS step,
                              date_bin(make_interval(mins => {bucketMinutes}), now(), timestamptz '1970-01-01 00:00:00+00') AS last)
            SELECT b.start AS start,
                   count(o.id)::int AS placed,
                   count(o.id) FILTER (WHERE o.status = 'Confirmed')::int AS confirmed,
                   count(o.id) FILTER (WHERE o.status = 'Rejected')::int AS rejected,
                   coalesce(sum(o.total) FILTER (WHERE o.status = 'Confirmed'), 0) AS revenue
            FROM w
            CROSS JOIN LATERAL generate_series(w.last - w.step * ({count} - 1), w.last, w.step) AS b(start)
            LEFT JOIN orders o ON o.placed_at >= b.start AND o.placed_at < b.start + w.step
            GROUP BY b.start
            ORDER BY b.start
            """).ToListAsync(cancellationToken);
        return new SalesStats(minutes, bucketMinutes, buckets);
    }
}

public sealed class SalesStatsType : ObjectGraphType<SalesStats>
{
    public SalesStatsType()
    {
        Name = "SalesStats";
        Description = "Orders and revenue over a recent window, by bucket of placement time; confirmed, rejected and revenue follow those orders' current status.";
        Field(s => s.Minutes).Description("The window's length in minutes, as asked; the buckets cover it in whole buckets, the current (partial) one last.");
        Field(s => s.BucketMinutes).Description("Each bucket's length in minutes.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SalesBucketType>>>>("buckets")
            .Description("minutes / bucketMinutes buckets, oldest first; buckets without orders have zero counts.")
            .ListSize(assumedSize: SalesStats.MaxBuckets)
            .Resolve(ctx => ctx.Source.Buckets);
        Field(s => s.Placed).Description("Orders placed in the window.");
        Field(s => s.Pending).Description("Of those, orders still waiting for stock and payment (status PLACED).");
        Field(s => s.Confirmed).Description("Of those, orders now confirmed.");
        Field(s => s.Rejected).Description("Of those, orders now rejected.");
        Field<NonNullGraphType<FloatGraphType>>("revenue").Description("Sum of the totals of the confirmed orders, in USD.").Resolve(ctx => (double)ctx.Source.Revenue);
        Field<FloatGraphType>("averageOrderValue").Description("Revenue / confirmed orders, rounded to the cent, in USD; null when none is confirmed.")
            .Resolve(ctx => ctx.Source.AverageOrderValue is { } v ? (double)v : null);
    }
}

public sealed class SalesBucketType : ObjectGraphType<SalesBucket>
{
    public SalesBucketType()
    {
        Name = "SalesBucket";
        Field<NonNullGraphType<DateTimeGraphType>>("start").Description("The bucket's start (UTC).").Resolve(ctx => ctx.Source.Start.UtcDateTime);
        Field(b => b.Placed);
        Field(b => b.Confirmed);
        Field(b => b.Rejected);
        Field<NonNullGraphType<FloatGraphType>>("revenue").Description("Totals of the bucket's confirmed orders, in USD.").Resolve(ctx => (double)ctx.Source.Revenue);
    }
}
