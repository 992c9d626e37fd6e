using Federation.Subgraph.GraphQL;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Data;

public sealed class ProductByIdDataLoader(IDbContextFactory<CatalogDbContext> factory) : BatchDataLoader<int, Product>
{
    protected override async Task<IReadOnlyDictionary<int, Product>> FetchAsync(IReadOnlyCollection<int> keys, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Products.AsNoTracking().Where(p => keys.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
    }
}

public sealed class CategoryByIdDataLoader(IDbContextFactory<CatalogDbContext> factory) : BatchDataLoader<int, Category>
{
    protected override async Task<IReadOnlyDictionary<int, Category>> FetchAsync(IReadOnlyCollection<int> keys, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Categories.AsNoTracking().Where(c => keys.Contains(c.Id)).ToDictionaryAsync(c => c.Id, cancellationToken);
    }
}
