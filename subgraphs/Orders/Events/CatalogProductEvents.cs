using Federation.Subgraph.Messaging.Consuming;
using Federation.Subgraph.Messaging.Events;
using Orders.Data;
using Orders.Domain;

namespace Orders.Events;

/// <summary>Topics orders reads; the publishers' contracts are under schema/events/&lt;topic&gt;.</summary>
public static class ConsumedTopics
{
    public const string CatalogProduct = "catalog.product.v1";
    public const string InventoryStock = "inventory.stock.v1";
    public const string PaymentsPayment = "payments.payment.v1";
}

// Orders' own minimal view of catalog's events: only what pricing needs, so catalog can add fields freely.
public sealed record ProductCreated(int ProductId, decimal Price);

public sealed record ProductUpdated(int ProductId, decimal Price);

/// <summary>Keeps the product price read model current; both events carry the full price, so applying one is an upsert.</summary>
public sealed class ProductPriceHandler :
    IIntegrationEventHandler<OrdersDbContext, ProductCreated>,
    IIntegrationEventHandler<OrdersDbContext, ProductUpdated>
{
    public Task HandleAsync(OrdersDbContext db, ProductCreated data, EventEnvelope envelope, CancellationToken cancellationToken) =>
        UpsertAsync(db, data.ProductId, data.Price, cancellationToken);

    public Task HandleAsync(OrdersDbContext db, ProductUpdated data, EventEnvelope envelope, CancellationToken cancellationToken) =>
        UpsertAsync(db, data.ProductId, data.Price, cancellationToken);

    private static async Task UpsertAsync(OrdersDbContext db, int productId, decimal price, CancellationToken cancellationToken)
    {
        var product = await db.Products.FindAsync([productId], cancellationToken);
        if (product is null)
            db.Products.Add(new Product { Id = productId, Price = price });
        else
            product.Price = price;
    }
}
