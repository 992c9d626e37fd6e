namespace Notifications.Tests;

/// <summary>The plan of a notificationFeed page after a cursor, on the seeded notifications: the statement EF sends for it.</summary>
[Collection(NotificationsCollection.Name)]
public sealed class NotificationFeedPlanTests(NotificationsFixture fixture)
{
    [Fact]
    public async Task NotificationFeedPage_Should_ReadTheIndexBackwardWithoutSorting_When_AfterACursor()
    {
        // act
        var plan = await fixture.PlanAsync("notifications", """
            SELECT * FROM notifications AS n
            WHERE (n.created_at, n.id) < (@at, @id)
            ORDER BY n.created_at DESC, n.id DESC LIMIT 26
            """, new Dictionary<string, object> { ["at"] = DateTimeOffset.UtcNow, ["id"] = int.MaxValue });

        // assert
        Assert.True(plan.Contains("Index Scan Backward using ix_notifications_created_at_id", StringComparison.Ordinal), plan);
        Assert.False(plan.Contains("Sort", StringComparison.Ordinal), plan);
    }
}
