using System.Globalization;
using Federation.Subgraph.GraphQL;
using GraphQL;
using GraphQL.Types;
using Inventory.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Inventory.Types;

public sealed class StockQueries : IQueryFields
{
    public const int DefaultLowStockThreshold = 5;

    public void AddFields(ObjectGraphType query)
    {
        query.Field<StockType>("stock")
            .Argument<NonNullGraphType<IdGraphType>>("productId")
            .Resolve(ctx => ctx.RequestServices!.GetRequiredService<StockByProductIdDataLoader>().Load(Ids.Parse(ctx.GetArgument<string>("productId"), "productId")));

        query.Field<NonNullGraphType<ConnectionType<StockType, StockItem>>>("lowStock")
            .Description("Stock with at most 'threshold' (and at least 'minAvailable') units available, by product id (keyset pagination: pass pageInfo.endCursor as 'after').")
            .Argument<IntGraphType>("threshold", $"0 to {StockItem.MaxOnHand}; default {DefaultLowStockThreshold}.")
            .Argument<IntGraphType>("minAvailable", $"0 to {StockItem.MaxOnHand}; default 0. 1 leaves out what is out of stock (threshold 0 lists only that).")
            .Argument<IntGraphType>("first", $"Page size, 0 to {Paging.MaxPageSize}; default {Paging.DefaultPageSize}.")
            .Argument<StringGraphType>("after")
            .ConnectionSize()
            .CacheControl(maxAge: 10)
            .ResolveAsync(async ctx => await LowStockAsync(ctx));
    }

    private static async Task<Connection<StockItem>> LowStockAsync(IResolveFieldContext ctx)
    {
        var threshold = ctx.GetArgument<int?>("threshold") ?? DefaultLowStockThreshold;
        if (threshold is < 0 or > StockItem.MaxOnHand)
            throw new ExecutionError($"'threshold' must be between 0 and {StockItem.MaxOnHand}.") { Code = "BAD_USER_INPUT" };
        var minAvailable = ctx.GetArgument<int?>("minAvailable") ?? 0;
        if (minAvailable is < 0 or > StockItem.MaxOnHand)
            throw new ExecutionError($"'minAvailable' must be between 0 and {StockItem.MaxOnHand}.") { Code = "BAD_USER_INPUT" };
        var first = Paging.PageSize(ctx.GetArgument<int?>("first"));
        var after = ctx.GetArgument<string?>("after");
        var afterId = after is null ? 0 : Cursor.Decode(after).Id;
        var factory = ctx.RequestServices!.GetRequiredService<IDbContextFactory<InventoryDbContext>>();

        var rows = new List<StockItem>();
        if (first > 0)
        {
            await using var db = await factory.CreateDbContextAsync(ctx.CancellationToken);
            rows = await Low(db, threshold, minAvailable).Where(s => s.ProductId > afterId).OrderBy(s => s.ProductId).Take(first + 1).ToListAsync(ctx.CancellationToken);
        }

        var edges = rows.Take(first).Select(s => new Edge<StockItem>(Cursor.Encode(s.ProductId.ToString(CultureInfo.InvariantCulture), s.ProductId), s)).ToList();
        return new Connection<StockItem>(edges, rows.Count > first, after is not null, async cancellationToken =>
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            return await Low(db, threshold, minAvailable).CountAsync(cancellationToken);
        });
    }

    private static IQueryable<StockItem> Low(InventoryDbContext db, int threshold, int minAvailable) =>
        db.StockItems.AsNoTracking().Where(s => s.OnHand - s.Reserved <= threshold && s.OnHand - s.Reserved >= minAvailable);
}
