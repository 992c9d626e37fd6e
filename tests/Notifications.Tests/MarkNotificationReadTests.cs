using System.Text.Json;
using Federation.Testing.Security;

namespace Notifications.Tests;

/// <summary>Each test marks notifications of its own user (20..29), so the counts it reads are its own.</summary>
[Collection(NotificationsCollection.Name)]
public sealed class MarkNotificationReadTests(NotificationsFixture fixture)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private const string MarkRead = """
        mutation Mark($id: ID!) {
          markNotificationRead(id: $id) { notification { id read readAt } errors { code message field } }
        }
        """;

    [Fact]
    public async Task MarkNotificationRead_Should_MarkReadOnceAndKeepFirstReadAt_When_CalledTwice()
    {
        // arrange
        var (id, unreadBefore) = await NewestUnreadAsync(20);

        // act
        var first = await fixture.Notifications.DataAsync(TestCaller.Shopper(20), MarkRead, new { id });
        var second = await fixture.Notifications.DataAsync(TestCaller.Shopper(20), MarkRead, new { id });

        // assert
        var marked = first["markNotificationRead"]!;
        Assert.Empty(marked["errors"]!.AsArray());
        Assert.True(marked["notification"]!["read"]!.GetValue<bool>());
        Assert.True(marked["notification"]!["readAt"]!.GetValue<DateTime>() > DateTime.UtcNow.AddMinutes(-5));
        Assert.Empty(second["markNotificationRead"]!["errors"]!.AsArray());
        Assert.Equal(marked["notification"]!["readAt"]!.GetValue<DateTime>(), second["markNotificationRead"]!["notification"]!["readAt"]!.GetValue<DateTime>());
        Assert.Equal(unreadBefore - 1, (await NewestUnreadAsync(20)).Unread);
    }

    [Fact]
    public async Task MarkNotificationRead_Should_UpdateOnce_When_CalledConcurrently()
    {
        // arrange
        var (id, unreadBefore) = await NewestUnreadAsync(21);

        // act
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => fixture.Notifications.DataAsync(TestCaller.Shopper(21), MarkRead, new { id })));

        // assert
        var readAts = results.Select(r => r["markNotificationRead"]!["notification"]!["readAt"]!.GetValue<DateTime>()).Distinct();
        Assert.Single(readAts);
        Assert.Equal(unreadBefore - 1, (await NewestUnreadAsync(21)).Unread);
    }

    [Fact]
    public async Task MarkNotificationRead_Should_ReturnValidationError_When_IdMalformed()
    {
        // act
        var data = await fixture.Notifications.DataAsync(TestCaller.Shopper(22), MarkRead, new { id = "abc" });

        // assert
        data.ToJsonString(Indented).MatchSnapshot();
    }

    [Fact]
    public async Task MarkNotificationRead_Should_ReturnNotFoundAndWriteNothing_When_NotificationUnknown()
    {
        // arrange
        var capture = await fixture.Notifications.CaptureSqlAsync();

        // act
        var data = await fixture.Notifications.DataAsync(TestCaller.Shopper(22), MarkRead, new { id = "999999" });

        // assert
        Assert.Null(data["markNotificationRead"]!["notification"]);
        var error = Assert.Single(data["markNotificationRead"]!["errors"]!.AsArray());
        Assert.Equal("NOT_FOUND", error!["code"]!.GetValue<string>());
        Assert.Equal(["id"], error["field"]!.AsArray().Select(f => f!.GetValue<string>()));
        var statements = await capture.StatementsAsync();
        Assert.DoesNotContain(statements, sql => sql.Contains("INSERT", StringComparison.OrdinalIgnoreCase));
    }

    private async Task<(string Id, int Unread)> NewestUnreadAsync(int userId)
    {
        var data = await fixture.Notifications.DataAsync(TestCaller.Shopper(userId), """
            query($r: [_Any!]!) { _entities(representations: $r) { ... on User { unreadNotificationCount notifications(first: 1, unreadOnly: true) { nodes { id } } } } }
            """, new { r = new[] { new { __typename = "User", id = userId.ToString() } } });
        var user = data["_entities"]![0]!;
        var nodes = user["notifications"]!["nodes"]!.AsArray();
        return (nodes.Count > 0 ? nodes[0]!["id"]!.GetValue<string>() : "", user["unreadNotificationCount"]!.GetValue<int>());
    }
}
