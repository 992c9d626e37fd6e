namespace BenchSubgraphs.Products;

public sealed record Product(string Upc, string? Name, int? Price, int? Weight);

public static class ProductsData
{
    public static readonly IReadOnlyList<Product> Products =
    [
        new("1", "Table", 899, 100),
        new("2", "Couch", 1299, 1000),
        new("3", "Glass", 15, 20),
        new("4", "Chair", 499, 100),
        new("5", "TV", 1299, 1000),
        new("6", "Lamp", 6999, 300),
        new("7", "Grill", 3999, 2000),
        new("8", "Fridge", 100000, 6000),
        new("9", "Sofa", 9999, 800),
    ];

    public static Product? ByUpc(string upc) => Products.FirstOrDefault(p => p.Upc == upc);
}
