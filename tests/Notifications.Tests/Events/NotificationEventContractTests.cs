using Federation.Subgraph.Messaging.Events;
using Federation.Testing;
using Notifications.Data;
using Notifications.Events;

namespace Notifications.Tests.Events;

/// <summary>
/// The committed JSON Schema of NotificationAdded (schema/events/notifications.notification.v1) is the contract the
/// gateway's notificationAdded subscription reads; this fails when the record drifts from it.
/// After an intended, compatible change run with FEDERATION_UPDATE_EVENT_CONTRACTS=1 and commit the file.
/// </summary>
public sealed class NotificationEventContractTests
{
    [Fact]
    public void NotificationAdded_Should_MatchCommittedSchema_When_GeneratedFromRecord()
    {
        // arrange
        var notification = new Notification
        {
            Id = 42,
            UserId = 7,
            Kind = NotificationKind.OrderConfirmed,
            Message = "Your order #1001 ($54.97) is confirmed.",
            CreatedAt = new DateTimeOffset(2026, 11, 25, 12, 0, 5, TimeSpan.Zero),
        };
        var generated = EventContract.Generate(NotificationsTopics.Notification, NotificationAdded.From(notification));

        // act
        var committed = ContractFiles.ReadOrUpdate(
            Path.Combine(RepositoryPaths.Root, EventContract.RelativePath<NotificationAdded>(NotificationsTopics.Notification)), generated);

        // assert
        Assert.Equal(committed, generated);
    }
}
