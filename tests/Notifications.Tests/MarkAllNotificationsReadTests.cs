using Federation.Testing.Security;

namespace Notifications.Tests;

/// <summary>Marks all of users 23 and 24 (seeded with three unread notifications each), so the counts it reads are its own.</summary>
[Collection(NotificationsCollection.Name)]
public sealed class MarkAllNotificationsReadTests(NotificationsFixture fixture)
{
    private const string MarkAll = """
        mutation { markAllNotificationsRead { markedCount user { id unreadNotificationCount } } }
        """;

    [Fact]
    public async Task MarkAllNotificationsRead_Should_MarkOnlyTheCallersUnread_When_Called()
    {
        // arrange
        var unreadBefore = await UnreadAsync(23);
        var neighbourBefore = await UnreadAsync(24);

        // act
        var first = await fixture.Notifications.DataAsync(TestCaller.Shopper(23), MarkAll);
        var second = await fixture.Notifications.DataAsync(TestCaller.Shopper(23), MarkAll);

        // assert
        Assert.True(unreadBefore > 0);
        Assert.Equal(unreadBefore, first["markAllNotificationsRead"]!["markedCount"]!.GetValue<int>());
        Assert.Equal("23", first["markAllNotificationsRead"]!["user"]!["id"]!.GetValue<string>());
        Assert.Equal(0, first["markAllNotificationsRead"]!["user"]!["unreadNotificationCount"]!.GetValue<int>());
        Assert.Equal(0, second["markAllNotificationsRead"]!["markedCount"]!.GetValue<int>());
        Assert.Equal(0, await UnreadAsync(23));
        Assert.Equal(neighbourBefore, await UnreadAsync(24));
    }

    private async Task<int> UnreadAsync(int userId)
    {
        var data = await fixture.Notifications.DataAsync(TestCaller.Shopper(userId), """
            query($r: [_Any!]!) { _entities(representations: $r) { ... on User { unreadNotificationCount } } }
            """, new { r = new[] { new { __typename = "User", id = userId.ToString() } } });
        return data["_entities"]![0]!["unreadNotificationCount"]!.GetValue<int>();
    }
}
