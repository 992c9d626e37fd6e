using Federation.Subgraph.GraphQL;
using Microsoft.EntityFrameworkCore;

namespace Notifications.Data;

public sealed class NotificationByIdDataLoader(IDbContextFactory<NotificationsDbContext> factory) : BatchDataLoader<int, Notification>
{
    protected override async Task<IReadOnlyDictionary<int, Notification>> FetchAsync(IReadOnlyCollection<int> keys, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Notifications.AsNoTracking().Where(n => keys.Contains(n.Id)).ToDictionaryAsync(n => n.Id, cancellationToken);
    }
}

/// <summary>Pages of users' notifications, newest first, from the (user_id, created_at, id) index; the scope is unreadOnly.</summary>
public sealed class NotificationPageDataLoader(IDbContextFactory<NotificationsDbContext> factory) : KeysetPageDataLoader<NotificationsDbContext, bool, Notification>(factory)
{
    protected override string Table => "notifications";

    protected override string SortColumn => "created_at";

    protected override string OwnerColumn(bool unreadOnly) => "user_id";

    protected override string Filter(bool unreadOnly) => unreadOnly ? "AND NOT read" : "";

    protected override DbSet<Notification> Rows(NotificationsDbContext db) => db.Notifications;

    protected override int OwnerOf(Notification notification, bool unreadOnly) => notification.UserId;

    public override KeysetPosition PositionOf(Notification notification) => new(notification.CreatedAt, notification.Id);
}

/// <summary>How many (unread) notifications each user has, as one grouped count per batch.</summary>
public sealed class NotificationCountDataLoader(IDbContextFactory<NotificationsDbContext> factory) : BatchDataLoader<(int UserId, bool UnreadOnly), int>
{
    protected override async Task<IReadOnlyDictionary<(int UserId, bool UnreadOnly), int>> FetchAsync(IReadOnlyCollection<(int UserId, bool UnreadOnly)> keys, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var userIds = keys.Select(k => k.UserId).Distinct().ToArray();
        var counts = await db.Notifications.Where(n => userIds.Contains(n.UserId))
            .GroupBy(n => n.UserId)
            .Select(g => new { UserId = g.Key, All = g.Count(), Unread = g.Count(n => !n.Read) })
            .ToDictionaryAsync(c => c.UserId, cancellationToken);
        return keys.ToDictionary(k => k, k => counts.TryGetValue(k.UserId, out var c) ? (k.UnreadOnly ? c.Unread : c.All) : 0);
    }
}
