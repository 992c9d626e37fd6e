using GraphQL.Federation;
using GraphQL.Types;

namespace BenchSubgraphs.Inventory;

/// <summary>What the gateway sends for <c>_entities</c>: the key plus the <c>@requires</c> fields.</summary>
public sealed class InventoryProduct
{
    public string Upc { get; set; } = "";
    public int? Price { get; set; }
    public int? Weight { get; set; }
    public bool? InStock { get; set; }
}

public sealed class InventoryProductType : ObjectGraphType<InventoryProduct>
{
    public InventoryProductType()
    {
        Name = "Product";
        this.Key("upc");
        Field<NonNullGraphType<StringGraphType>>("upc").Resolve(ctx => ctx.Source.Upc);
        Field<IntGraphType>("weight").External().Resolve(ctx => ctx.Source.Weight);
        Field<IntGraphType>("price").External().Resolve(ctx => ctx.Source.Price);
        Field<BooleanGraphType>("inStock").Resolve(ctx => ctx.Source.InStock);
        Field<IntGraphType>("shippingEstimate").Requires("price weight").Resolve(ctx => ShippingEstimate(ctx.Source));
        this.ResolveReference<InventoryProduct>((_, reference) =>
            InventoryData.InStock.TryGetValue(reference.Upc, out var inStock)
                ? new InventoryProduct { Upc = reference.Upc, Price = reference.Price, Weight = reference.Weight, InStock = inStock }
                : null!);
    }

    // The benchmark's rule: free above 1000, otherwise half the weight.
    private static int? ShippingEstimate(InventoryProduct product) =>
        product.Price switch
        {
            null => null,
            > 1000 => 0,
            _ => product.Weight / 2,
        };
}
