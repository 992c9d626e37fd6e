using GraphQL.Federation;
using GraphQL.Types;

namespace BenchSubgraphs.Products;

public sealed class ProductType : ObjectGraphType<Product>
{
    public ProductType()
    {
        Name = "Product";
        this.Key("upc");
        Field<NonNullGraphType<StringGraphType>>("upc").Resolve(ctx => ctx.Source.Upc);
        Field<StringGraphType>("name").Resolve(ctx => ctx.Source.Name);
        Field<IntGraphType>("price").Resolve(ctx => ctx.Source.Price);
        Field<IntGraphType>("weight").Resolve(ctx => ctx.Source.Weight);
        this.ResolveReference<ProductReference, Product>((_, reference) => ProductsData.ByUpc(reference.Upc)!);
    }
}

public sealed class ProductReference
{
    public string Upc { get; set; } = "";
}
