namespace Catalog.Data;

public static class CatalogDatabase
{
    public const string SubgraphName = "catalog";
    public const string ConnectionName = "Catalog";
}
