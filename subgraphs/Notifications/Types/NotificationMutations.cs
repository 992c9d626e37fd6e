using Federation.Subgraph.GraphQL;
using Federation.Subgraph.Security;
using GraphQL;
using GraphQL.Types;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Notifications.Data;

namespace Notifications.Types;

public sealed record MarkNotificationReadPayload(Notification? Notification, IReadOnlyList<UserError> Errors);

public sealed record MarkAllNotificationsReadPayload(int MarkedCount, int UserId);

public sealed class NotificationMutations : IMutationFields
{
    public void AddFields(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<MarkNotificationReadPayloadType>>("markNotificationRead")
            .Authenticated()
            .Description("Marks one of the signed-in user's notifications read. Marking it again changes nothing and is not an error; another user's notification is NOT_FOUND.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async ctx => await MarkReadAsync(ctx, ctx.GetArgument<string>("id")));
        mutation.Field<NonNullGraphType<MarkAllNotificationsReadPayloadType>>("markAllNotificationsRead")
            .Authenticated()
            .Description("Marks every unread notification of the signed-in user read, in one statement; notifications already read keep their readAt.")
            .ResolveAsync(async ctx => await MarkAllReadAsync(ctx));
    }

    private static async Task<MarkAllNotificationsReadPayload> MarkAllReadAsync(IResolveFieldContext ctx)
    {
        var userId = ctx.SignedInUserId();
        await using var db = await ctx.RequestServices!.GetRequiredService<IDbContextFactory<NotificationsDbContext>>().CreateDbContextAsync(ctx.CancellationToken);
        // Admins, too, mark only their own: as with markNotificationRead, reading another user's list is not acting on it.
        var now = DateTimeOffset.UtcNow;
        var marked = await db.Notifications.Where(n => n.UserId == userId && !n.Read)
            .ExecuteUpdateAsync(set => set.SetProperty(n => n.Read, true).SetProperty(n => n.ReadAt, now), ctx.CancellationToken);
        return new MarkAllNotificationsReadPayload(marked, userId);
    }

    private static async Task<MarkNotificationReadPayload> MarkReadAsync(IResolveFieldContext ctx, string notificationId)
    {
        var userId = ctx.SignedInUserId();
        if (!Ids.TryParse(notificationId, out var id))
            return new MarkNotificationReadPayload(null, [UserError.Validation($"'{notificationId}' is not a notification id.", "id")]);

        await using var db = await ctx.RequestServices!.GetRequiredService<IDbContextFactory<NotificationsDbContext>>().CreateDbContextAsync(ctx.CancellationToken);
        // Only an unread row of the caller's is updated, so the first readAt survives repeated and concurrent calls and
        // the owner is checked in the same statement that writes. Admins mark their own only: reading is not acting.
        var now = DateTimeOffset.UtcNow;
        await db.Notifications.Where(n => n.Id == id && n.UserId == userId && !n.Read)
            .ExecuteUpdateAsync(set => set.SetProperty(n => n.Read, true).SetProperty(n => n.ReadAt, now), ctx.CancellationToken);
        var notification = await db.Notifications.AsNoTracking().SingleOrDefaultAsync(n => n.Id == id && n.UserId == userId, ctx.CancellationToken);
        return notification is null
            ? new MarkNotificationReadPayload(null, [UserError.NotFound($"Notification {id} does not exist.", "id")])
            : new MarkNotificationReadPayload(notification, []);
    }
}

public sealed class MarkNotificationReadPayloadType : ObjectGraphType<MarkNotificationReadPayload>
{
    public MarkNotificationReadPayloadType()
    {
        Name = "MarkNotificationReadPayload";
        Field<NotificationType>("notification").Description("The notification as saved; null when there are errors.").Resolve(ctx => ctx.Source.Notification);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorType>>>>("errors").Resolve(ctx => ctx.Source.Errors);
    }
}

public sealed class MarkAllNotificationsReadPayloadType : ObjectGraphType<MarkAllNotificationsReadPayload>
{
    public MarkAllNotificationsReadPayloadType()
    {
        Name = "MarkAllNotificationsReadPayload";
        Field<NonNullGraphType<IntGraphType>>("markedCount").Description("How many notifications this call marked read (0 when all were read already).").Resolve(ctx => ctx.Source.MarkedCount);
        Field<NonNullGraphType<UserType>>("user").Description("The signed-in user, for their unreadNotificationCount after the call.")
            .Resolve(ctx => new EntityReference<UserType> { Id = ctx.Source.UserId });
    }
}
