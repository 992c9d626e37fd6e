using Federation.Testing.Security;

namespace Notifications.Tests;

/// <summary>
/// Ownership straight at the subgraph. User 31's notifications (no other test touches users 30..39) are visible to that
/// user and admins only by every path; strangers cannot mark them read; the dashboard's list needs admin.
/// </summary>
[Collection(NotificationsCollection.Name)]
public sealed class NotificationAccessTests(NotificationsFixture fixture)
{
    private const int Owner = 31;
    private static readonly TestCaller Stranger = TestCaller.Shopper(32);

    private const string EveryPath = """
        query($id: ID!, $r: [_Any!]!) {
          notification(id: $id) { id message }
          _entities(representations: $r) { ... on Notification { id message } }
        }
        """;

    private const string OfUser = """
        query($r: [_Any!]!, $unread: Boolean) { _entities(representations: $r) { ... on User { unreadNotificationCount notifications(first: 1, unreadOnly: $unread) { totalCount nodes { id read } } } } }
        """;

    private const string MarkRead = """
        mutation($id: ID!) { markNotificationRead(id: $id) { notification { id read } errors { code field } } }
        """;

    private static object User(int id, bool unread = false) => new { r = new[] { new { __typename = "User", id = id.ToString() } }, unread };

    private static object Paths(string id) => new { id, r = new[] { new { __typename = "Notification", id } } };

    private async Task<string> UnreadNotificationOfOwnerAsync()
    {
        var data = await fixture.Notifications.DataAsync(TestCaller.Admin, OfUser, User(Owner, unread: true));
        return data["_entities"]![0]!["notifications"]!["nodes"]![0]!["id"]!.GetValue<string>();
    }

    [Fact]
    public async Task Notification_Should_BeReadableByEveryPath_When_CallerIsOwner()
    {
        // arrange
        var id = await UnreadNotificationOfOwnerAsync();

        // act
        var paths = await fixture.Notifications.DataAsync(TestCaller.Shopper(Owner), EveryPath, Paths(id));
        var user = await fixture.Notifications.DataAsync(TestCaller.Shopper(Owner), OfUser, User(Owner));

        // assert
        Assert.Equal(id, paths["notification"]!["id"]!.GetValue<string>());
        Assert.Equal(id, paths["_entities"]![0]!["id"]!.GetValue<string>());
        Assert.True(user["_entities"]![0]!["notifications"]!["totalCount"]!.GetValue<int>() > 0);
        Assert.True(user["_entities"]![0]!["unreadNotificationCount"]!.GetValue<int>() > 0);
    }

    [Fact]
    public async Task Notification_Should_AnswerNullWithoutError_When_AnotherShopperReadsItByRootOrEntity()
    {
        // arrange
        var id = await UnreadNotificationOfOwnerAsync();

        // act
        var data = await fixture.Notifications.DataAsync(Stranger, EveryPath, Paths(id));

        // assert: the same answer as for an id that does not exist
        Assert.Null(data["notification"]);
        Assert.Null(data["_entities"]![0]);
    }

    [Fact]
    public async Task UserNotifications_Should_BeForbidden_When_AnotherShopperAsks()
    {
        // act
        var response = await fixture.Notifications.QueryAsync(Stranger, OfUser, User(Owner));

        // assert: one error per refused field, and the user's data nowhere in the answer (both fields are nullable, so
        // each refusal nulls only itself)
        Assert.Equal(["FORBIDDEN", "FORBIDDEN"], response.ErrorCodes());
        Assert.Equal("""{"unreadNotificationCount":null,"notifications":null}""", response["data"]!["_entities"]![0]!.ToJsonString());
    }

    [Fact]
    public async Task MarkNotificationRead_Should_ReturnNotFoundAndLeaveItUnread_When_AnotherUsersNotification()
    {
        // arrange
        var id = await UnreadNotificationOfOwnerAsync();

        // act: a stranger, and an admin (reading others' notifications is not acting for them)
        var byStranger = await fixture.Notifications.DataAsync(Stranger, MarkRead, new { id });
        var byAdmin = await fixture.Notifications.DataAsync(TestCaller.Admin, MarkRead, new { id });

        // assert
        foreach (var answer in new[] { byStranger, byAdmin })
        {
            Assert.Null(answer["markNotificationRead"]!["notification"]);
            Assert.Equal("NOT_FOUND", answer["markNotificationRead"]!["errors"]![0]!["code"]!.GetValue<string>());
        }
        var stillUnread = await fixture.Notifications.DataAsync(TestCaller.Admin, EveryPath, Paths(id));
        Assert.Equal(id, stillUnread["notification"]!["id"]!.GetValue<string>());
        Assert.Equal(id, await UnreadNotificationOfOwnerAsync());
    }

    [Theory]
    [InlineData("""{ notification(id: "1") { id message } }""")]
    [InlineData("""{ _entities(representations: [{ __typename: "Notification", id: "1" }]) { ... on Notification { id message } } }""")]
    [InlineData("""{ _entities(representations: [{ __typename: "User", id: "1" }]) { ... on User { unreadNotificationCount } } }""")]
    [InlineData("""mutation { markNotificationRead(id: "1") { notification { id } } }""")]
    [InlineData("""mutation { markAllNotificationsRead { markedCount } }""")]
    [InlineData("""{ recentNotifications { id message } }""")]
    [InlineData("""{ notificationFeed { totalCount nodes { id message } } }""")]
    public async Task Operation_Should_BeUnauthenticated_When_CallerAnonymous(string query)
    {
        // act
        var response = await fixture.Notifications.QueryAsync(TestCaller.Anonymous, query);

        // assert
        Assert.Equal(["UNAUTHENTICATED"], response.ErrorCodes());
        Assert.DoesNotContain("message", response["data"]?.ToJsonString() ?? "");
    }

    [Theory]
    [InlineData("{ recentNotifications { id } }")]
    [InlineData("{ notificationFeed { totalCount nodes { id } } }")]
    public async Task AdminFeed_Should_BeForbidden_When_CallerIsShopper(string query)
    {
        // act
        var response = await fixture.Notifications.QueryAsync(TestCaller.Shopper(Owner), query);

        // assert
        Assert.Equal(["FORBIDDEN"], response.ErrorCodes());
        Assert.Null(response["data"]);
    }
}
