using Catalog.Data;
using Federation.Subgraph.Messaging.Consuming;
using Federation.Subgraph.Messaging.Events;

namespace Catalog.Events;

/// <summary>Catalog's own minimal view of inventory's event: whether anything can be sold.</summary>
public sealed record StockChanged(int ProductId, int Available);

/// <summary>Keeps Product.inStock; events carry absolute levels in per-product order, so the latest one wins.</summary>
public sealed class ProductStockHandler : IIntegrationEventHandler<CatalogDbContext, StockChanged>
{
    public async Task HandleAsync(CatalogDbContext db, StockChanged data, EventEnvelope envelope, CancellationToken cancellationToken)
    {
        var product = await db.Products.FindAsync([data.ProductId], cancellationToken)
            ?? throw new InvalidEventException($"Stock event {envelope.Id} is about product {data.ProductId}, which catalog does not have.");
        product.InStock = data.Available > 0;
    }
}
