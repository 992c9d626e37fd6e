using System.Globalization;
using Federation.Subgraph.Data;
using Federation.Subgraph.Messaging.Consuming;
using Federation.Subgraph.Messaging.Events;
using Federation.Subgraph.Messaging.Outbox;
using Notifications.Data;

namespace Notifications.Events;

/// <summary>Topics notifications reads; the publisher's contracts are under schema/events/&lt;topic&gt;.</summary>
public static class ConsumedTopics
{
    public const string OrdersOrder = "orders.order.v1";
}

// Notifications' own minimal views of orders' saga events. Payment outcomes are not read directly: they carry
// no user id, and orders turns a declined payment into OrderRejected with the decline as its reason.
public sealed record OrderPlaced(int OrderId, int UserId, decimal Total);

public sealed record OrderConfirmed(int OrderId, int UserId, decimal Total);

public sealed record OrderRejected(int OrderId, int UserId, decimal Total, string Reason);

/// <summary>Tells the buyer at each step of the checkout saga; the inbox makes a redelivered event write nothing.</summary>
public sealed class OrderNotificationHandler :
    IIntegrationEventHandler<NotificationsDbContext, OrderPlaced>,
    IIntegrationEventHandler<NotificationsDbContext, OrderConfirmed>,
    IIntegrationEventHandler<NotificationsDbContext, OrderRejected>
{
    public Task HandleAsync(NotificationsDbContext db, OrderPlaced data, EventEnvelope envelope, CancellationToken cancellationToken) =>
        AddAsync(db, data.UserId, data.OrderId, NotificationKind.OrderPlaced, $"We received your order #{data.OrderId} ({MoneyText.Format(data.Total)}) and are checking stock and payment.", envelope, cancellationToken);

    public Task HandleAsync(NotificationsDbContext db, OrderConfirmed data, EventEnvelope envelope, CancellationToken cancellationToken) =>
        AddAsync(db, data.UserId, data.OrderId, NotificationKind.OrderConfirmed, $"Your order #{data.OrderId} ({MoneyText.Format(data.Total)}) is confirmed.", envelope, cancellationToken);

    public Task HandleAsync(NotificationsDbContext db, OrderRejected data, EventEnvelope envelope, CancellationToken cancellationToken) =>
        AddAsync(db, data.UserId, data.OrderId, NotificationKind.OrderRejected, $"Your order #{data.OrderId} ({MoneyText.Format(data.Total)}) could not be completed: {data.Reason}", envelope, cancellationToken);

    private static async Task AddAsync(NotificationsDbContext db, int userId, int orderId, NotificationKind kind, string message, EventEnvelope envelope, CancellationToken cancellationToken)
    {
        var notification = new Notification
        {
            UserId = userId,
            OrderId = orderId,
            Kind = kind,
            Message = message.Length > Notification.MessageMaxLength ? message[..Notification.MessageMaxLength] : message,
            // The event's time, not the consumer's, so a late delivery still sorts where it happened.
            CreatedAt = envelope.OccurredAt.AddTicks(-(envelope.OccurredAt.Ticks % 10)),
        };
        db.Notifications.Add(notification);

        // Saved inside the consumer's transaction for its id; the event commits with the row and the inbox entry.
        await db.SaveChangesAsync(cancellationToken);
        Outbox.Add(db, NotificationsTopics.Notification, userId.ToString(CultureInfo.InvariantCulture), NotificationAdded.From(notification));
    }
}
