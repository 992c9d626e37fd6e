using Federation.Subgraph.GraphQL;
using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using Orders.Data;

namespace Orders.Types;

public sealed class OrderQueries : IQueryFields
{
    public void AddFields(ObjectGraphType query)
    {
        query.Field<OrderType>("order")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Resolve(ctx => ctx.RequestServices!.GetRequiredService<OrderByIdDataLoader>().Load(Ids.Parse(ctx.GetArgument<string>("id"), "id")));
    }
}
