using Federation.Subgraph.Messaging.Events;
using Notifications.Data;

namespace Notifications.Events;

public static class NotificationsTopics
{
    /// <summary>Notifications as they are written, keyed by user id so one user's arrive in order.</summary>
    public const string Notification = "notifications.notification.v1";
}

/// <summary>A notification was written for a user; the gateway's <c>notificationAdded</c> subscription is fed from it.</summary>
public sealed record NotificationAdded(int NotificationId, int UserId, string Kind, DateTimeOffset CreatedAt) : IIntegrationEvent
{
    public static string EventType => nameof(NotificationAdded);
    public static int SchemaVersion => 1;

    public static NotificationAdded From(Notification notification) =>
        new(notification.Id, notification.UserId, notification.Kind.ToString(), notification.CreatedAt);
}
