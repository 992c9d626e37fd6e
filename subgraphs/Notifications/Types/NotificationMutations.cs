using Federation.Subgraph.GraphQL;
using Federation.Subgraph.Security;
using GraphQL;
using GraphQL.Types;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Notifications.Data;

namespace Notifications.Types;

public sealed record MarkNotificationReadPayload(Notification? Notification, IReadOnlyList<UserError> Errors);

public sealed class NotificationMutations : IMutationFields
{
    public void AddFields(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<MarkNotificationReadPayloadType>>("markNotificationRead")
            .Authenticated()
            .Description("Marks one of the signed-in user's notifications read. Marking it again changes nothing and is not an error; another user's notification is NOT_FOUND.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async ctx => await MarkReadAsync(ctx, ctx.GetArgument<string>("id")));
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
