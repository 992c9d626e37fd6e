using Federation.Subgraph.GraphQL;
using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using Notifications.Data;

namespace Notifications.Types;

public sealed class NotificationQueries : IQueryFields
{
    public void AddFields(ObjectGraphType query)
    {
        query.Field<NotificationType>("notification")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Resolve(ctx => ctx.RequestServices!.GetRequiredService<NotificationByIdDataLoader>().Load(Ids.Parse(ctx.GetArgument<string>("id"), "id")));
    }
}
