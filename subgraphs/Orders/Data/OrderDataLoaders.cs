using Federation.Subgraph.GraphQL;
using Microsoft.EntityFrameworkCore;
using Orders.Domain;

namespace Orders.Data;

public sealed class OrderByIdDataLoader(IDbContextFactory<OrdersDbContext> factory) : BatchDataLoader<int, Order>
{
    protected override async Task<IReadOnlyDictionary<int, Order>> FetchAsync(IReadOnlyCollection<int> keys, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Orders.AsNoTracking().Where(o => keys.Contains(o.Id)).ToDictionaryAsync(o => o.Id, cancellationToken);
    }
}

public sealed class OrderLinesByOrderIdDataLoader(IDbContextFactory<OrdersDbContext> factory) : BatchDataLoader<int, IReadOnlyList<OrderLine>>
{
    protected override async Task<IReadOnlyDictionary<int, IReadOnlyList<OrderLine>>> FetchAsync(IReadOnlyCollection<int> keys, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var lines = await db.OrderLines.AsNoTracking().Where(l => keys.Contains(l.OrderId)).OrderBy(l => l.Id).ToListAsync(cancellationToken);
        var byOrder = lines.GroupBy(l => l.OrderId).ToDictionary(g => g.Key, g => (IReadOnlyList<OrderLine>)g.ToList());
        return keys.ToDictionary(k => k, k => byOrder.GetValueOrDefault(k) ?? []);
    }
}

/// <summary>One page of a user's orders, newest first, strictly after the cursor position when given.</summary>
public sealed record UserOrdersPage(int UserId, int Take, DateTimeOffset? AfterPlacedAt, int AfterId);

/// <summary>
/// Pages of many users' orders in one statement: a LATERAL subquery per user id reads just that user's
/// page from the (user_id, placed_at, id) index, so a batch of users never turns into N queries.
/// </summary>
public sealed class UserOrdersDataLoader(IDbContextFactory<OrdersDbContext> factory) : BatchDataLoader<UserOrdersPage, IReadOnlyList<Order>>
{
    protected override async Task<IReadOnlyDictionary<UserOrdersPage, IReadOnlyList<Order>>> FetchAsync(IReadOnlyCollection<UserOrdersPage> keys, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var result = new Dictionary<UserOrdersPage, IReadOnlyList<Order>>();
        foreach (var group in keys.GroupBy(k => (k.Take, k.AfterPlacedAt, k.AfterId)))
        {
            var userIds = group.Select(k => k.UserId).Distinct().ToArray();
            var (take, afterPlacedAt, afterId) = group.Key;
            var query = afterPlacedAt is { } at
                ? db.Orders.FromSql($"""
                    SELECT o.* FROM unnest({userIds}) AS u(id)
                    CROSS JOIN LATERAL (
                      SELECT * FROM orders WHERE user_id = u.id AND (placed_at, id) < ({at}, {afterId})
                      ORDER BY placed_at DESC, id DESC LIMIT {take}) AS o
                    """)
                : db.Orders.FromSql($"""
                    SELECT o.* FROM unnest({userIds}) AS u(id)
                    CROSS JOIN LATERAL (
                      SELECT * FROM orders WHERE user_id = u.id
                      ORDER BY placed_at DESC, id DESC LIMIT {take}) AS o
                    """);
            var orders = await query.AsNoTracking().ToListAsync(cancellationToken);
            var byUser = orders.GroupBy(o => o.UserId).ToDictionary(g => g.Key, g => g.OrderByDescending(o => o.PlacedAt).ThenByDescending(o => o.Id).ToList());
            foreach (var key in group)
                result[key] = byUser.GetValueOrDefault(key.UserId) ?? [];
        }
        return result;
    }
}

public sealed class UserOrderCountDataLoader(IDbContextFactory<OrdersDbContext> factory) : BatchDataLoader<int, int>
{
    protected override async Task<IReadOnlyDictionary<int, int>> FetchAsync(IReadOnlyCollection<int> keys, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Orders.Where(o => keys.Contains(o.UserId)).GroupBy(o => o.UserId)
            .Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
    }
}
