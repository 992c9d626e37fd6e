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

/// <summary>One page of a user's notifications, newest first, strictly after the cursor position when given.</summary>
public sealed record NotificationPage(int UserId, bool UnreadOnly, int Take, DateTimeOffset? AfterCreatedAt, int AfterId);

/// <summary>
/// Pages of many users' notifications in one statement: a LATERAL subquery per user id reads just that
/// user's page from the (user_id, created_at, id) index.
/// </summary>
public sealed class NotificationPageDataLoader(IDbContextFactory<NotificationsDbContext> factory) : BatchDataLoader<NotificationPage, IReadOnlyList<Notification>>
{
    protected override async Task<IReadOnlyDictionary<NotificationPage, IReadOnlyList<Notification>>> FetchAsync(IReadOnlyCollection<NotificationPage> keys, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var result = new Dictionary<NotificationPage, IReadOnlyList<Notification>>();
        // Siblings in one _entities call share their arguments, so this is one statement per call.
        foreach (var group in keys.GroupBy(k => (k.UnreadOnly, k.Take, k.AfterCreatedAt, k.AfterId)))
        {
            var (unreadOnly, take, afterCreatedAt, afterId) = group.Key;
            var userIds = group.Select(k => k.UserId).Distinct().ToArray();
            var unread = unreadOnly ? "AND NOT read" : "";
            var seek = afterCreatedAt is null ? "" : "AND (created_at, id) < ({2}, {3})";
            var sql = $$"""
                SELECT n.* FROM unnest({0}) AS u(id)
                CROSS JOIN LATERAL (
                  SELECT * FROM notifications WHERE user_id = u.id {{unread}} {{seek}}
                  ORDER BY created_at DESC, id DESC LIMIT {1}) AS n
                """;
            object[] parameters = afterCreatedAt is { } at ? [userIds, take, at, afterId] : [userIds, take];
            var rows = await db.Notifications.FromSqlRaw(sql, parameters).AsNoTracking().ToListAsync(cancellationToken);
            var byUser = rows.GroupBy(n => n.UserId)
                .ToDictionary(g => g.Key, g => g.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).ToList());
            foreach (var key in group)
                result[key] = byUser.GetValueOrDefault(key.UserId) ?? [];
        }
        return result;
    }
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
