using Federation.Subgraph.GraphQL;
using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using Reviews.Data;

namespace Reviews.Types;

public sealed class ReviewQueries : IQueryFields
{
    public void AddFields(ObjectGraphType query)
    {
        query.Field<ReviewType>("review")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Resolve(ctx => ctx.RequestServices!.GetRequiredService<ReviewByIdDataLoader>().Load(Ids.Parse(ctx.GetArgument<string>("id"), "id")));
    }
}
