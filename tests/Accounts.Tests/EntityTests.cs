using System.Text.Json;
using Federation.Testing.Security;

namespace Accounts.Tests;

[Collection(AccountsCollection.Name)]
public sealed class EntityTests(AccountsFixture fixture)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private const string EntitiesQuery = """
        query Entities($representations: [_Any!]!) {
          _entities(representations: $representations) { __typename ... on User { id email name createdAt } }
        }
        """;

    [Fact]
    public async Task Service_Should_AnswerSdlWithKey_When_Queried()
    {
        // act
        var data = await fixture.DataAsync("{ _service { sdl } }");

        // assert
        Assert.Contains("type User @key(fields: \"id\")", data["_service"]!["sdl"]!.GetValue<string>());
    }

    [Fact]
    public async Task Entities_Should_ResolveSeededUsersAndNullForUnknown_When_Queried()
    {
        // arrange
        object[] representations = [new { __typename = "User", id = "1" }, new { __typename = "User", id = "424242" }, new { __typename = "User", id = "50" }];

        // act
        var data = await fixture.Accounts.DataAsync(TestCaller.Admin, EntitiesQuery, new { representations });

        // assert
        data.ToJsonString(Indented).MatchSnapshot();
    }

    [Fact]
    public async Task Entities_Should_ReadUsersInOneStatement_When_FiftyRepresentations()
    {
        // arrange
        var representations = Enumerable.Range(1, 50).Select(id => new { __typename = "User", id = id.ToString() }).ToArray();
        var capture = await fixture.Accounts.CaptureSqlAsync();

        // act
        var data = await fixture.Accounts.DataAsync(TestCaller.Admin, EntitiesQuery, new { representations });

        // assert
        var users = data["_entities"]!.AsArray();
        Assert.Equal(Enumerable.Range(1, 50).Select(id => $"user{id}@example.com"), users.Select(u => u!["email"]!.GetValue<string>()));
        var statement = Assert.Single(await capture.StatementsAsync());
        Assert.Contains("FROM users", statement, StringComparison.Ordinal);
    }
}
