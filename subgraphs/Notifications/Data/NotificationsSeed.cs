using Federation.Subgraph.Data;
using Federation.Subgraph.Seeding;
using Microsoft.EntityFrameworkCore;

namespace Notifications.Data;

/// <summary>
/// What users 1..50 were told so far: a welcome each, then one notification for the outcome of every
/// historical order in <see cref="SeedPlan"/>. Ids grow with time; each user's three newest are unread.
/// </summary>
public static class NotificationsSeed
{
    public const int UnreadPerUser = 3;
    private static readonly TimeSpan OutcomeDelay = TimeSpan.FromMinutes(5);

    public static async Task SeedAsync(NotificationsDbContext db, CancellationToken cancellationToken)
    {
        if (await db.Notifications.AnyAsync(cancellationToken))
            return;

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Notifications.AddRange(CreateNotifications());
        await db.SaveChangesAsync(cancellationToken);
        // Rows were inserted with explicit ids; move the identity sequence past them.
        await db.Database.ExecuteSqlRawAsync("SELECT setval(pg_get_serial_sequence('notifications', 'id'), (SELECT max(id) FROM notifications));", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public static List<Notification> CreateNotifications()
    {
        var welcomes = Enumerable.Range(1, SeedPlan.UserCount).Select(userId => new Notification
        {
            UserId = userId,
            Kind = NotificationKind.Welcome,
            Message = "Welcome to the shop! Your account is ready.",
            CreatedAt = SeedPlan.FirstOrderAt.AddHours(userId - SeedPlan.UserCount - 1),
        });
        var outcomes = SeedPlan.Orders.Select(order => new Notification
        {
            UserId = order.UserId,
            OrderId = order.Id,
            Kind = order.Status == SeedOrderStatus.Confirmed ? NotificationKind.OrderConfirmed : NotificationKind.OrderRejected,
            Message = order.Status == SeedOrderStatus.Confirmed
                ? $"Your order #{order.Id} ({MoneyText.Format(order.Total)}) is confirmed."
                : $"Your order #{order.Id} ({MoneyText.Format(order.Total)}) could not be completed.",
            CreatedAt = order.PlacedAt + OutcomeDelay,
        });

        var notifications = welcomes.Concat(outcomes).OrderBy(n => n.CreatedAt).ThenBy(n => n.UserId).ToList();
        for (var i = 0; i < notifications.Count; i++)
            notifications[i].Id = i + 1;
        foreach (var older in notifications.GroupBy(n => n.UserId).SelectMany(g => g.OrderByDescending(n => n.Id).Skip(UnreadPerUser)))
        {
            older.Read = true;
            older.ReadAt = SeedClock.NotAfterNow(older.CreatedAt.AddHours(3));
        }
        return notifications;
    }
}
