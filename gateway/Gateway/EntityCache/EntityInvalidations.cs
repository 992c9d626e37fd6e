namespace Federation.Gateway.Host.EntityCache;

/// <summary>
/// The one place that says which cached entities each domain event changes: event type -> the subgraph and entity type
/// whose entries go stale, and the event data property that holds the entity's key. EntityInvalidationsTests checks it
/// against the contracts in schema/events/: every event type on a consumed topic is either mapped here or named in
/// <see cref="Unmapped"/> with the reason it changes nothing cached.
/// </summary>
public static class EntityInvalidations
{
    public static readonly IReadOnlyDictionary<string, EventInvalidation> ByEventType = new Dictionary<string, EventInvalidation>(StringComparer.Ordinal)
    {
        ["ProductUpdated"] = new("catalog.product.v1", [new("catalog", "Product", "productId")]),

        // Nothing of a new product is cached, but catalog's root entries (product lists) may now miss it.
        ["ProductCreated"] = new("catalog.product.v1", [new("catalog", "Product", "productId")]),
        // Catalog folds stock and reviews into Product.inStock, rating and reviewCount from these same events, possibly
        // after this invalidation ran: those fields declare a short max-age for that window.
        ["StockChanged"] = new("inventory.stock.v1", [new("inventory", "Product", "productId"), new("catalog", "Product", "productId")]),

        // A product's reviews and rating, and the author's list of reviews.
        ["ReviewAdded"] = new("reviews.review.v1", [new("reviews", "Product", "productId"), new("reviews", "User", "userId"), new("catalog", "Product", "productId")]),
    };

    public static readonly IReadOnlyDictionary<string, string> Unmapped = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["StockReserved"] = "inventory publishes StockChanged for every item a reservation changes",
        ["StockRejected"] = "a rejected reservation changes no stock",
    };

    /// <summary>The topics the gateway consumes: those of the mapped events.</summary>
    public static IReadOnlyList<string> Topics { get; } = [.. ByEventType.Values.Select(e => e.Topic).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}

/// <param name="Topic">Where the event is published (schema/events/&lt;topic&gt;/).</param>
public sealed record EventInvalidation(string Topic, IReadOnlyList<InvalidatedEntity> Entities);

/// <param name="KeyProperty">The event data property holding the value of the entity's key field (<c>id</c>).</param>
public sealed record InvalidatedEntity(string Subgraph, string TypeName, string KeyProperty);
