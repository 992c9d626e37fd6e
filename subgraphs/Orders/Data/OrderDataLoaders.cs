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

/// <summary>Pages of users' orders, newest first, from the (user_id, placed_at, id) index.</summary>
public sealed class UserOrdersDataLoader(IDbContextFactory<OrdersDbContext> factory) : KeysetPageDataLoader<OrdersDbContext, AllRows, Order>(factory)
{
    protected override string Table => "orders";

    protected override string SortColumn => "placed_at";

    protected override string OwnerColumn(AllRows scope) => "user_id";

    protected override DbSet<Order> Rows(OrdersDbContext db) => db.Orders;

    protected override int OwnerOf(Order order, AllRows scope) => order.UserId;

    public override KeysetPosition PositionOf(Order order) => new(order.PlacedAt, order.Id);
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
