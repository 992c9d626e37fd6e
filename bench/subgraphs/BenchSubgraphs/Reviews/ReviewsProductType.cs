using GraphQL.Federation;
using GraphQL.Types;

namespace BenchSubgraphs.Reviews;

public sealed class ProductReference
{
    public string Upc { get; set; } = "";
}

/// <summary>Products owns Product; reviews adds what was said about it.</summary>
public sealed class ReviewsProductType : ObjectGraphType<ProductReference>
{
    public ReviewsProductType()
    {
        Name = "Product";
        this.Key("upc");
        Field<NonNullGraphType<StringGraphType>>("upc").Resolve(ctx => ctx.Source.Upc);
        Field<ListGraphType<ReviewType>>("reviews").Resolve(ctx => ReviewsData.OfProduct(ctx.Source.Upc));
        this.ResolveReference<ProductReference>((_, reference) => reference);
    }
}
