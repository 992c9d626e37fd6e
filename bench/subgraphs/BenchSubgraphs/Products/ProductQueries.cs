using Federation.Subgraph.GraphQL;
using GraphQL;
using GraphQL.Types;

namespace BenchSubgraphs.Products;

public sealed class ProductQueries : IQueryFields
{
    public void AddFields(ObjectGraphType query)
    {
        query.Field<ListGraphType<ProductType>>("topProducts")
            .Argument<IntGraphType>("first", arg => arg.DefaultValue = 5)
            .Resolve(ctx => ProductsData.Products.Take(Math.Max(0, ctx.GetArgument("first", 5))));
    }
}
