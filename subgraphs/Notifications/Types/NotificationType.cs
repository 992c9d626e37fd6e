using Federation.Subgraph.GraphQL;
using Federation.Subgraph.Security;
using GraphQL.Federation;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using Notifications.Data;

namespace Notifications.Types;

public sealed class NotificationType : ObjectGraphType<Notification>
{
    public NotificationType()
    {
        Name = "Notification";
        Description = "A message to one user about their account or orders. Owned by notifications.";
        this.Authenticated();
        this.Key("id");
        Field(n => n.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field<NonNullGraphType<UserType>>("user").Resolve(ctx => new EntityReference<UserType> { Id = ctx.Source.UserId });
        Field<NonNullGraphType<NotificationKindType>>("kind").Resolve(ctx => ctx.Source.Kind);
        Field(n => n.Message);
        Field<IdGraphType>("orderId").Description("The order this notification is about; null for one that is not (the welcome).").Resolve(ctx => ctx.Source.OrderId);
        Field(n => n.Read);
        Field<NonNullGraphType<DateTimeGraphType>>("createdAt").Resolve(ctx => ctx.Source.CreatedAt.UtcDateTime);
        Field<DateTimeGraphType>("readAt").Resolve(ctx => ctx.Source.ReadAt?.UtcDateTime);
        this.ResolveReference<Notification>((ctx, reference) =>
            ctx.Owned(ctx.RequestServices!.GetRequiredService<NotificationByIdDataLoader>().Load(reference.Id), n => n.UserId));
    }
}

public sealed class NotificationKindType : EnumerationGraphType<NotificationKind>
{
    public NotificationKindType() => Name = "NotificationKind";
}
