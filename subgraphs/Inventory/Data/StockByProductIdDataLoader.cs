using Federation.Subgraph.GraphQL;
using Microsoft.EntityFrameworkCore;

namespace Inventory.Data;

public sealed class StockByProductIdDataLoader(IDbContextFactory<InventoryDbContext> factory) : BatchDataLoader<int, StockItem>
{
    protected override async Task<IReadOnlyDictionary<int, StockItem>> FetchAsync(IReadOnlyCollection<int> keys, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.StockItems.AsNoTracking().Where(s => keys.Contains(s.ProductId)).ToDictionaryAsync(s => s.ProductId, cancellationToken);
    }
}
