using Federation.Subgraph.GraphQL;
using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using Payments.Data;

namespace Payments.Types;

public sealed class PaymentQueries : IQueryFields
{
    public void AddFields(ObjectGraphType query)
    {
        query.Field<PaymentType>("payment")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Resolve(ctx => ctx.RequestServices!.GetRequiredService<PaymentByIdDataLoader>().Load(Ids.Parse(ctx.GetArgument<string>("id"), "id")));
    }
}
