using Federation.Subgraph.GraphQL;
using Federation.Subgraph.Security;
using GraphQL;
using GraphQL.Types;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Notifications.Data;

namespace Notifications.Types;

public sealed class NotificationQueries : IQueryFields
{
    public void AddFields(ObjectGraphType query)
    {
        query.Field<NotificationType>("notification")
            .Authenticated()
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Description("A notification of the signed-in user (any notification for an admin); null when there is none with this id.")
            .Resolve(ctx => ctx.Owned(ctx.RequestServices!.GetRequiredService<NotificationByIdDataLoader>().Load(Ids.Parse(ctx.GetArgument<string>("id"), "id")), n => n.UserId));
        query.Field<NonNullGraphType<ConnectionType<NotificationType, Notification>>>("notificationFeed")
            .RequiresScopes(["admin"])
            .Description("Every user's notifications, newest first, for admins (keyset pagination: pass pageInfo.endCursor as 'after').")
            .PagingArguments()
            .ResolveAsync(async ctx =>
            {
                ctx.RequireAdmin();
                // ix_notifications_created_at_id serves the seek.
                return await KeysetConnection.ResolveNewestFirstAsync<NotificationsDbContext, Notification>(ctx, db => db.Notifications.AsNoTracking());
            });
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<NotificationType>>>>("recentNotifications")
            .RequiresScopes(["admin"])
            .DeprecationReason("Use notificationFeed, which pages.")
            .Description("The newest notifications across all users, newest first, for the operations dashboard.")
            .Argument<IntGraphType>("first", $"How many, 0 to {Paging.MaxPageSize}; default {Paging.DefaultPageSize}.")
            .PageSize()
            .ResolveAsync(async ctx =>
            {
                ctx.RequireAdmin();
                var first = Paging.PageSize(ctx.GetArgument<int?>("first"));
                await using var db = await ctx.RequestServices!.GetRequiredService<IDbContextFactory<NotificationsDbContext>>().CreateDbContextAsync(ctx.CancellationToken);
                return await KeysetConnection.NewestFirst(db.Notifications.AsNoTracking(), null).Take(first).ToListAsync(ctx.CancellationToken);
            });
    }
}
