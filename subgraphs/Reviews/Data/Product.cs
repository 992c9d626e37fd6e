namespace Reviews.Data;

/// <summary>
/// Reviews' own read model of the catalog: which products exist. Catalog's ProductCreated/ProductUpdated keep it
/// current, so addReview refuses unknown products without calling the catalog subgraph.
/// </summary>
public sealed class Product
{
    public int Id { get; set; }
}
