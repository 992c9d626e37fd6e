using GraphQL;
using GraphQL.Types;
using Microsoft.EntityFrameworkCore;
using Orders.Data;

namespace Orders.Types;

public sealed record OrderMinute(DateTimeOffset Minute, int Placed, int Confirmed, int Rejected);

public sealed record OrderStats(int Minutes, IReadOnlyList<OrderMinute> Buckets)
{
    public const int DefaultMinutes = 60;
    public const int MaxMinutes = 1440;

    public int Placed => Buckets.Sum(b => b.Placed);
    public int Confirmed => Buckets.Sum(b => b.Confirmed);
    public int Rejected => Buckets.Sum(b => b.Rejected);

    public static int ValidateMinutes(int minutes) => minutes is >= 1 and <= MaxMinutes
        ? minutes
        : throw new ExecutionError($"'minutes' must be between 1 and {MaxMinutes}.") { Code = "BAD_USER_INPUT" };

    /// <summary>
    /// One statement: generate_series yields every minute of the window, so minutes without orders come back as
    /// zero rows instead of gaps. The range join on placed_at (not date_trunc on the column) keeps the index usable.
    /// </summary>
    public static async Task<OrderStats> LoadAsync(OrdersDbContext db, int minutes, CancellationToken cancellationToken)
    {
        var buckets = await db.Database.SqlQuery<OrderMinute>($"""
            SELECT m.minute AS minute,
                   count(o.id)::int AS placed,
                   count(o.id) FILTER (WHERE o.status = 'Confirmed')::int AS confirmed,
                   count(o.id) FILTER (WHERE o.status = 'Rejected')::int AS rejected
            FROM generate_series(date_trunc('minute', now()) - make_interval(mins => {minutes} - 1),
                                 date_trunc('minute', now()), interval '1 minute') AS m(minute)
            LEFT JOIN orders o ON o.placed_at >= m.minute AND o.placed_at < m.minute + interval '1 minute'
            GROUP BY m.minute
            ORDER BY m.minute
            """).ToListAsync(cancellationToken);
        return new OrderStats(minutes, buckets);
    }
}

public sealed class OrderStatsType : ObjectGraphType<OrderStats>
{
    public OrderStatsType()
    {
        Name = "OrderStats";
        Description = "Orders placed in the last N minutes, by the minute they were placed in; confirmed and rejected count those orders' current status.";
        Field(s => s.Minutes).Description("The window's length in minutes.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<OrderMinuteType>>>>("buckets")
            .Description("One bucket per minute, oldest first, the current (partial) minute last; minutes without orders have zero counts.")
            .Resolve(ctx => ctx.Source.Buckets);
        Field(s => s.Placed).Description("Orders placed in the window.");
        Field(s => s.Confirmed).Description("Of those, orders now confirmed.");
        Field(s => s.Rejected).Description("Of those, orders now rejected.");
    }
}

public sealed class OrderMinuteType : ObjectGraphType<OrderMinute>
{
    public OrderMinuteType()
    {
        Name = "OrderMinute";
        Field<NonNullGraphType<DateTimeGraphType>>("minute").Description("The minute's start (UTC).").Resolve(ctx => ctx.Source.Minute.UtcDateTime);
        Field(b => b.Placed);
        Field(b => b.Confirmed);
        Field(b => b.Rejected);
    }
}
