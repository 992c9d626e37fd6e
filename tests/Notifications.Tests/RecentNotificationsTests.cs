using Federation.Testing.Security;
using Federation.Testing.Subgraphs;
using Npgsql;

namespace Notifications.Tests;

[Collection(NotificationsCollection.Name)]
public sealed class RecentNotificationsTests(NotificationsFixture fixture)
{
    private const string Recent = """
        query Recent($first: Int) { recentNotifications(first: $first) { id kind message createdAt user { id } } }
        """;

    private const string FeedPage = """
        query Page($first: Int, $after: String) {
          notificationFeed(first: $first, after: $after) {
            totalCount
            edges { cursor node { id orderId user { id } } }
            pageInfo { hasNextPage hasPreviousPage endCursor }
          }
        }
        """;

    [Fact]
    public async Task NotificationFeed_Should_PageThroughEveryNotificationNewestFirst_When_WalkedWithEndCursors()
    {
        // arrange: three notifications that share one timestamp, so only the id orders them; older than the seed, as other tests look for their own rows at the top
        var tied = await InsertAsync((4201, "tie a", TimeSpan.Zero), (4202, "tie b", TimeSpan.Zero), (4203, "tie c", TimeSpan.Zero));
        await using (var connection = new NpgsqlConnection(fixture.ConnectionString))
        {
            await connection.OpenAsync();
            await using var align = new NpgsqlCommand("UPDATE notifications SET created_at = '2021-06-01 12:00:00+00' WHERE id = ANY(@ids)", connection);
            align.Parameters.AddWithValue("ids", tied.ToArray());
            await align.ExecuteNonQueryAsync();
        }
        var expected = await fixture.IdsAsync("SELECT id FROM notifications ORDER BY created_at DESC, id DESC");
        var first = Math.Min(100, expected.Count / 4 + 1);

        // act
        var pages = await Connections.WalkAsync(async after => (await fixture.Notifications.DataAsync(TestCaller.Admin, FeedPage, new { first, after }))["notificationFeed"]!);
        var walked = pages.SelectMany(p => p["edges"]!.AsArray().Select(e => int.Parse(e!["node"]!["id"]!.GetValue<string>()))).ToList();

        // assert
        Assert.Equal(expected, walked);
        Assert.All(pages, p => Assert.Equal(expected.Count, p["totalCount"]!.GetValue<int>()));
        Assert.Equal(pages.Select((_, i) => i > 0), pages.Select(p => p["pageInfo"]!["hasPreviousPage"]!.GetValue<bool>()));
        Assert.Equal((expected.Count + first - 1) / first, pages.Count);
        Assert.Equal([tied[2], tied[1], tied[0]], walked.Skip(walked.IndexOf(tied[2])).Take(3));
    }

    [Theory]
    [InlineData("not a cursor")]
    [InlineData("MTIzNDU=")]
    [InlineData("eWVzdGVyZGF5HzQy")]
    public async Task NotificationFeed_Should_ReturnBadCursor_When_AfterIsNotACursor(string after)
    {
        // act
        var response = await fixture.Notifications.QueryAsync(TestCaller.Admin, FeedPage, new { first = 5, after });

        // assert
        Assert.Equal(["BAD_CURSOR"], response.ErrorCodes());
        Assert.Null(response["data"]);
    }

    [Fact]
    public async Task RecentNotifications_Should_ReturnNewestAcrossUsersFirst_When_NotificationsInserted()
    {
        // arrange: a day ahead, so they are newer than anything seeded or written by other tests
        var ids = await InsertAsync((4101, "first", TimeSpan.FromDays(1)), (4102, "third", TimeSpan.FromDays(1) + TimeSpan.FromSeconds(20)), (4103, "second", TimeSpan.FromDays(1) + TimeSpan.FromSeconds(10)));

        // act
        var recent = (await fixture.Notifications.DataAsync(TestCaller.Admin, Recent, new { first = 3 }))["recentNotifications"]!.AsArray();

        // assert
        Assert.Equal([ids[1], ids[2], ids[0]], recent.Select(n => int.Parse(n!["id"]!.GetValue<string>())));
        Assert.Equal(["third", "second", "first"], recent.Select(n => n!["message"]!.GetValue<string>()));
        Assert.Equal(["4102", "4103", "4101"], recent.Select(n => n!["user"]!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task RecentNotifications_Should_ReturnDefaultPageNewestFirst_When_FirstOmitted()
    {
        // act
        var recent = (await fixture.Notifications.DataAsync(TestCaller.Admin, "{ recentNotifications { id createdAt } }"))["recentNotifications"]!.AsArray();

        // assert
        Assert.Equal(20, recent.Count);
        var keys = recent.Select(n => (At: DateTimeOffset.Parse(n!["createdAt"]!.GetValue<string>()), Id: int.Parse(n["id"]!.GetValue<string>()))).ToList();
        Assert.Equal(keys.OrderByDescending(k => k.At).ThenByDescending(k => k.Id), keys);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(101)]
    public async Task RecentNotifications_Should_ReturnBadUserInput_When_FirstOutOfRange(int first)
    {
        // act
        var response = await fixture.Notifications.QueryAsync(TestCaller.Admin, Recent, new { first });

        // assert
        var error = Assert.Single(response["errors"]!.AsArray());
        Assert.Equal("BAD_USER_INPUT", error!["extensions"]!["code"]!.GetValue<string>());
    }

    private async Task<List<int>> InsertAsync(params (int UserId, string Message, TimeSpan Offset)[] rows)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        var ids = new List<int>();
        foreach (var (userId, message, offset) in rows)
        {
            await using var command = new NpgsqlCommand("""
                INSERT INTO notifications (user_id, kind, message, read, created_at) VALUES (@userId, 'OrderPlaced', @message, false, now() + @offset)
                RETURNING id
                """, connection);
            command.Parameters.AddWithValue("userId", userId);
            command.Parameters.AddWithValue("message", message);
            command.Parameters.AddWithValue("offset", offset);
            ids.Add((int)(await command.ExecuteScalarAsync())!);
        }
        return ids;
    }
}
