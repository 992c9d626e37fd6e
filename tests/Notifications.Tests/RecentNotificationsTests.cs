using Federation.Testing.Security;
using Npgsql;

namespace Notifications.Tests;

[Collection(NotificationsCollection.Name)]
public sealed class RecentNotificationsTests(NotificationsFixture fixture)
{
    private const string Recent = """
        query Recent($first: Int) { recentNotifications(first: $first) { id kind message createdAt user { id } } }
        """;

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
