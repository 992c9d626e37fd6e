namespace Catalog.Events;

public static class CatalogTopics
{
    /// <summary>Product lifecycle, keyed by product id.</summary>
    public const string Product = "catalog.product.v1";
}
