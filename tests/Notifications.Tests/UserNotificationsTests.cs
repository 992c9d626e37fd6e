using Federation.Testing.Security;

namespace Notifications.Tests;

/// <summary>Mutation tests mark notifications of users 20..29 read, so these read users below 20.</summary>
[Collection(NotificationsCollection.Name)]
public sealed class UserNotificationsTests(NotificationsFixture fixture)
{
    private const string Page = """
        query Page($r: [_Any!]!, $first: Int, $after: String, $unreadOnly: Boolean) {
          _entities(representations: $r) {
            ... on User {
              unreadNotificationCount
              notifications(first: $first, after: $after, unreadOnly: $unreadOnly) {
                totalCount
                edges { cursor node { id user { id } read createdAt } }
                pageInfo { hasNextPage hasPreviousPage endCursor }
              }
            }
          }
        }
        """;

    [Fact]
    public async Task Notifications_Should_WalkAllNewestFirstWithoutDuplicates_When_PagedWithCursors()
    {
        // arrange
        var representations = new[] { new { __typename = "User", id = "7" } };
        var seen = new List<(DateTime CreatedAt, int Id)>();
        string? after = null;
        int? totalCount = null;

        // act
        while (true)
        {
            var data = await fixture.Notifications.DataAsync(TestCaller.Admin, Page, new { r = representations, first = 3, after });
            var connection = data["_entities"]![0]!["notifications"]!;
            totalCount ??= connection["totalCount"]!.GetValue<int>();
            Assert.Equal(after is not null, connection["pageInfo"]!["hasPreviousPage"]!.GetValue<bool>());
            foreach (var edge in connection["edges"]!.AsArray())
            {
                Assert.Equal("7", edge!["node"]!["user"]!["id"]!.GetValue<string>());
                seen.Add((edge["node"]!["createdAt"]!.GetValue<DateTime>(), int.Parse(edge["node"]!["id"]!.GetValue<string>())));
            }
            if (!connection["pageInfo"]!["hasNextPage"]!.GetValue<bool>())
                break;
            after = connection["pageInfo"]!["endCursor"]!.GetValue<string>();
        }

        // assert
        Assert.True(totalCount > 3);
        Assert.Equal(totalCount, seen.Count);
        Assert.Equal(seen.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id), seen);
        Assert.Equal(seen.Distinct(), seen);
    }

    [Fact]
    public async Task Notifications_Should_ReturnOnlyUnread_When_UnreadOnly()
    {
        // act
        var data = await fixture.Notifications.DataAsync(TestCaller.Admin, Page, new { r = new[] { new { __typename = "User", id = "9" } }, first = 10, unreadOnly = true });

        // assert
        var user = data["_entities"]![0]!;
        var edges = user["notifications"]!["edges"]!.AsArray();
        Assert.Equal(3, edges.Count);
        Assert.All(edges, e => Assert.False(e!["node"]!["read"]!.GetValue<bool>()));
        Assert.Equal(3, user["notifications"]!["totalCount"]!.GetValue<int>());
        Assert.Equal(3, user["unreadNotificationCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task Notifications_Should_ReturnEmptyPage_When_FirstIsZero()
    {
        // act
        var data = await fixture.Notifications.DataAsync(TestCaller.Admin, Page, new { r = new[] { new { __typename = "User", id = "8" } }, first = 0 });

        // assert
        var connection = data["_entities"]![0]!["notifications"]!;
        Assert.Empty(connection["edges"]!.AsArray());
        Assert.True(connection["totalCount"]!.GetValue<int>() > 0);
    }

    [Theory]
    [InlineData("bm90LWEtY3Vyc29y", 5, "BAD_CURSOR")]
    [InlineData(null, 101, "BAD_USER_INPUT")]
    public async Task Notifications_Should_ReturnClearError_When_ArgumentsInvalid(string? after, int first, string code)
    {
        // act
        var response = await fixture.Notifications.QueryAsync(TestCaller.Admin, Page, new { r = new[] { new { __typename = "User", id = "8" } }, first, after });

        // assert
        var error = Assert.Single(response["errors"]!.AsArray());
        Assert.Equal(code, error!["extensions"]!["code"]!.GetValue<string>());
    }
}
