using Federation.Subgraph.GraphQL;
using Federation.Subgraph.Security;
using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using Notifications.Data;

namespace Notifications.Types;

/// <summary>Accounts owns User; notifications adds what the user was told, found by user_id.</summary>
public sealed class UserType : EntityReferenceType<UserType>
{
    public UserType() : base("User")
    {
        Field<ConnectionType<NotificationType, Notification>>("notifications")
            .Authenticated()
            .Description("The user's notifications, newest first; only the user and admins may read them (keyset pagination: pass pageInfo.endCursor as 'after').")
            .PagingArguments()
            .Argument<BooleanGraphType>("unreadOnly", "Only notifications not marked read; default false.")
            .Resolve(ctx =>
            {
                ctx.RequireOwner(ctx.Source.Id);
                var services = ctx.RequestServices!;
                var userId = ctx.Source.Id;
                var unreadOnly = ctx.GetArgument<bool?>("unreadOnly") ?? false;
                return KeysetConnection.Resolve(ctx, services.GetRequiredService<NotificationPageDataLoader>(), unreadOnly, userId,
                    () => services.GetRequiredService<NotificationCountDataLoader>().Load((userId, unreadOnly)));
            });
        Field<IntGraphType>("unreadNotificationCount")
            .Authenticated()
            .Description("Only the user and admins may read it.")
            .Resolve(ctx =>
            {
                ctx.RequireOwner(ctx.Source.Id);
                return ctx.RequestServices!.GetRequiredService<NotificationCountDataLoader>().Load((ctx.Source.Id, true));
            });
    }
}
