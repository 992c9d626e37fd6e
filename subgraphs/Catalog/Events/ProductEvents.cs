using Catalog.Data;
using Federation.Subgraph.Messaging.Events;

namespace Catalog.Events;

/// <summary>A product exists; carries everything a read model in another service needs.</summary>
public sealed record ProductCreated(int ProductId, string Name, string Description, decimal Price, int CategoryId, DateTimeOffset CreatedAt) : IIntegrationEvent
{
    public static string EventType => nameof(ProductCreated);
    public static int SchemaVersion => 1;

    public static ProductCreated From(Product product) =>
        new(product.Id, product.Name, product.Description, product.Price, product.CategoryId, product.CreatedAt);
}

/// <summary>The product's full current state after a change, so a consumer upserts instead of merging partial changes.</summary>
public sealed record ProductUpdated(int ProductId, string Name, string Description, decimal Price, int CategoryId) : IIntegrationEvent
{
    public static string EventType => nameof(ProductUpdated);
    public static int SchemaVersion => 1;

    public static ProductUpdated From(Product product) =>
        new(product.Id, product.Name, product.Description, product.Price, product.CategoryId);
}
