using System.Text.Json;
using Federation.Testing.Security;

namespace Notifications.Tests;

[Collection(NotificationsCollection.Name)]
public sealed class EntityTests(NotificationsFixture fixture)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private const string EntitiesQuery = """
        query Entities($representations: [_Any!]!) {
          _entities(representations: $representations) {
            __typename
            ... on Notification { id user { id } kind message read createdAt readAt }
            ... on User { id notifications(first: 2) { totalCount edges { node { id kind createdAt } } pageInfo { hasNextPage } } }
          }
        }
        """;

    [Fact]
    public async Task Service_Should_AnswerSdlWithKeys_When_Queried()
    {
        // act
        var data = await fixture.Notifications.DataAsync(TestCaller.Admin, "{ _service { sdl } }");

        // assert
        var sdl = data["_service"]!["sdl"]!.GetValue<string>();
        Assert.Contains("type Notification @authenticated @key(fields: \"id\")", sdl);
        Assert.Contains("type User @key(fields: \"id\")", sdl);
    }

    [Fact]
    public async Task Entities_Should_ResolveNotificationsAndUsers_When_RepresentationsMixTypes()
    {
        // arrange
        object[] representations =
        [
            new { __typename = "Notification", id = "1" },
            new { __typename = "User", id = "3" },
            new { __typename = "Notification", id = "999999" },
            new { __typename = "User", id = "424242" },
        ];

        // act
        var data = await fixture.Notifications.DataAsync(TestCaller.Admin, EntitiesQuery, new { representations });

        // assert
        data.ToJsonString(Indented).MatchSnapshot();
    }

    [Fact]
    public async Task Entities_Should_ReadNotificationsInOneStatement_When_FiftyRepresentations()
    {
        // arrange
        var representations = Enumerable.Range(500, 50).Select(id => new { __typename = "Notification", id = id.ToString() }).ToArray();
        var capture = await fixture.Notifications.CaptureSqlAsync();

        // act
        var data = await fixture.Notifications.DataAsync(TestCaller.Admin, EntitiesQuery, new { representations });

        // assert
        var notifications = data["_entities"]!.AsArray();
        Assert.Equal(Enumerable.Range(500, 50).Select(id => id.ToString()), notifications.Select(n => n!["id"]!.GetValue<string>()));
        var statements = await capture.StatementsAsync();
        var statement = Assert.Single(statements);
        Assert.Contains("FROM notifications", statement, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Entities_Should_PageEveryUsersNotificationsInOneStatement_When_FiftyUsers()
    {
        // arrange
        var representations = Enumerable.Range(1, 50).Select(id => new { __typename = "User", id = id.ToString() }).ToArray();
        var capture = await fixture.Notifications.CaptureSqlAsync();

        // act
        var data = await fixture.Notifications.DataAsync(TestCaller.Admin, """
            query($r: [_Any!]!) {
              _entities(representations: $r) { ... on User { id unreadNotificationCount notifications(first: 2) { totalCount edges { node { id } } } } }
            }
            """, new { r = representations });

        // assert
        var users = data["_entities"]!.AsArray();
        Assert.All(users, u => Assert.Equal(2, u!["notifications"]!["edges"]!.AsArray().Count));
        // A welcome per user and one outcome per historical order; tests only mark notifications read.
        Assert.Equal(50 + 1000, users.Sum(u => u!["notifications"]!["totalCount"]!.GetValue<int>()));
        var statements = await capture.StatementsAsync();
        Assert.Single(statements, sql => sql.Contains("unnest", StringComparison.Ordinal));
        Assert.Single(statements, sql => sql.Contains("count(*)", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(2, statements.Count);
    }
}
