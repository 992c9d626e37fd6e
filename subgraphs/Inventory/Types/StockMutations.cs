using System.Globalization;
using Federation.Subgraph.GraphQL;
using Federation.Subgraph.Security;
using Federation.Subgraph.Messaging.Outbox;
using GraphQL;
using GraphQL.Types;
using Inventory.Data;
using Inventory.Events;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Inventory.Types;

public sealed record AdjustStockPayload(StockItem? Stock, IReadOnlyList<UserError> Errors);

public sealed class StockMutations : IMutationFields
{
    public const string InsufficientStock = "INSUFFICIENT_STOCK";

    public void AddFields(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<AdjustStockPayloadType>>("adjustStock")
            .RequiresScopes(["admin"])
            .Description("Adds (delta > 0) or removes (delta < 0) units on hand; never below the reserved units.")
            .Argument<NonNullGraphType<IdGraphType>>("productId")
            .Argument<NonNullGraphType<IntGraphType>>("delta")
            .ResolveAsync(async ctx => await AdjustAsync(ctx, ctx.GetArgument<string>("productId"), ctx.GetArgument<int>("delta")));
    }

    private static async Task<AdjustStockPayload> AdjustAsync(IResolveFieldContext ctx, string productId, int delta)
    {
        ctx.RequireAdmin();
        var errors = new List<UserError>();
        if (!Ids.TryParse(productId, out var id))
            errors.Add(UserError.Validation($"'{productId}' is not a product id.", "productId"));
        if (delta == 0 || Math.Abs((long)delta) > StockItem.MaxOnHand)
            errors.Add(UserError.Validation($"Delta must be non-zero and between -{StockItem.MaxOnHand} and {StockItem.MaxOnHand}.", "delta"));
        if (errors.Count > 0)
            return new AdjustStockPayload(null, errors);

        await using var db = await ctx.RequestServices!.GetRequiredService<IDbContextFactory<InventoryDbContext>>().CreateDbContextAsync(ctx.CancellationToken);
        // One conditional UPDATE: concurrent adjustments serialize on the row lock and each re-checks
        // the condition against the committed value, so no interleaving can overdraw the stock.
        var now = DateTimeOffset.UtcNow;
        await using var transaction = await db.Database.BeginTransactionAsync(ctx.CancellationToken);
        var updated = await db.StockItems
            .FromSql($"""
                UPDATE stock_items SET on_hand = on_hand + {delta}, updated_at = {now}
                WHERE product_id = {id} AND on_hand + {delta} >= reserved AND on_hand + {delta} <= {StockItem.MaxOnHand}
                RETURNING *
                """)
            .AsNoTracking().ToListAsync(ctx.CancellationToken);
        if (updated.Count == 1)
        {
            // The row lock taken by the UPDATE is held until commit, so events of one product leave in commit order.
            Outbox.Add(db, InventoryTopics.Stock, id.ToString(CultureInfo.InvariantCulture), StockChanged.From(updated[0]));
            await db.SaveChangesAsync(ctx.CancellationToken);
            await transaction.CommitAsync(ctx.CancellationToken);
            return new AdjustStockPayload(updated[0], []);
        }

        var current = await db.StockItems.AsNoTracking().SingleOrDefaultAsync(s => s.ProductId == id, ctx.CancellationToken);
        if (current is null)
            return new AdjustStockPayload(null, [UserError.NotFound($"Inventory does not track product {id}.", "productId")]);
        if (current.OnHand + delta > StockItem.MaxOnHand)
            return new AdjustStockPayload(null, [UserError.Validation($"On hand would exceed {StockItem.MaxOnHand} units.", "delta")]);
        return new AdjustStockPayload(null,
            [new UserError(InsufficientStock, $"Cannot remove {-delta} units: {current.OnHand} on hand, {current.Reserved} reserved.", ["delta"])]);
    }
}

public sealed class AdjustStockPayloadType : ObjectGraphType<AdjustStockPayload>
{
    public AdjustStockPayloadType()
    {
        Name = "AdjustStockPayload";
        Field<StockType>("stock").Description("The stock after the change; null when there are errors.").Resolve(ctx => ctx.Source.Stock);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorType>>>>("errors").Resolve(ctx => ctx.Source.Errors);
    }
}
