using Federation.Subgraph.GraphQL;

namespace Notifications.Data;

public enum NotificationKind
{
    Welcome,
    OrderPlaced,
    OrderConfirmed,
    OrderRejected,
    PaymentSucceeded,
    PaymentFailed,
}

/// <summary>A message to one user; read is the only thing that changes after it is written.</summary>
public sealed class Notification : INewestFirstRow
{
    public const int MessageMaxLength = 500;

    public int Id { get; set; }
    public int UserId { get; set; }
    public NotificationKind Kind { get; set; }
    public string Message { get; set; } = "";
    /// <summary>The order the notification is about; null for one that is not (the welcome).</summary>
    public int? OrderId { get; set; }
    public bool Read { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ReadAt { get; set; }
}
