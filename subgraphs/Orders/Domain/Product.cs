namespace Orders.Domain;

/// <summary>
/// Orders' own read model of the catalog: what a product costs now. Catalog events keep it current,
/// so placing an order never calls another subgraph.
/// </summary>
public sealed class Product
{
    public int Id { get; set; }
    public decimal Price { get; set; }
}
