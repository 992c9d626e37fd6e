using System.Text.Json;
using Federation.Testing.Security;

namespace Orders.Tests;

[Collection(OrdersCollection.Name)]
public sealed class EntityTests(OrdersFixture fixture)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private const string EntitiesQuery = """
        query Entities($representations: [_Any!]!) {
          _entities(representations: $representations) {
            __typename
            ... on Order { id user { id } status total placedAt lines { product { id } quantity unitPrice } }
            ... on User { id orders(first: 2) { totalCount edges { node { id placedAt } } pageInfo { hasNextPage } } }
          }
        }
        """;

    [Fact]
    public async Task Service_Should_AnswerSdlWithKeys_When_Queried()
    {
        // act
        var data = await fixture.DataAsync("{ _service { sdl } }");

        // assert
        var sdl = data["_service"]!["sdl"]!.GetValue<string>();
        Assert.Contains("type Order @authenticated @key(fields: \"id\")", sdl);
        Assert.Contains("type User @key(fields: \"id\")", sdl);
    }

    [Fact]
    public async Task Entities_Should_ResolveOrdersAndUsers_When_RepresentationsMixTypes()
    {
        // arrange
        object[] representations =
        [
            new { __typename = "Order", id = "7" },
            new { __typename = "User", id = "3" },
            new { __typename = "Order", id = "999999" },
            new { __typename = "User", id = "424242" },
        ];

        // act
        var data = await fixture.Orders.DataAsync(TestCaller.Admin, EntitiesQuery, new { representations });

        // assert
        data.ToJsonString(Indented).MatchSnapshot();
    }

    [Fact]
    public async Task Entities_Should_ReadOrdersAndLinesInOneStatementEach_When_FiftyOrders()
    {
        // arrange
        var representations = Enumerable.Range(300, 50).Select(id => new { __typename = "Order", id = id.ToString() }).ToArray();
        var capture = await fixture.Orders.CaptureSqlAsync();

        // act
        var data = await fixture.Orders.DataAsync(TestCaller.Admin, EntitiesQuery, new { representations });

        // assert
        var statements = await capture.StatementsAsync();
        var entities = data["_entities"]!.AsArray();
        Assert.Equal(Enumerable.Range(300, 50).Select(id => id.ToString()), entities.Select(e => e!["id"]!.GetValue<string>()));
        Assert.All(entities, e => Assert.NotEmpty(e!["lines"]!.AsArray()));
        Assert.Single(statements, sql => sql.Contains("FROM orders", StringComparison.Ordinal));
        Assert.Single(statements, sql => sql.Contains("FROM order_lines", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Entities_Should_PageEveryUsersOrdersInOneStatement_When_FiftyUsers()
    {
        // arrange
        var representations = Enumerable.Range(1, 50).Select(id => new { __typename = "User", id = id.ToString() }).ToArray();
        var capture = await fixture.Orders.CaptureSqlAsync();

        // act
        var data = await fixture.Orders.DataAsync(TestCaller.Admin, EntitiesQuery, new { representations });

        // assert
        var statements = await capture.StatementsAsync();
        var users = data["_entities"]!.AsArray();
        Assert.Equal(50, users.Count);
        Assert.All(users, u => Assert.Equal(2, u!["orders"]!["edges"]!.AsArray().Count));
        // Tests that place orders use user ids above 9000, so users 1..50 hold exactly the seeded history.
        Assert.Equal(1000, users.Sum(u => u!["orders"]!["totalCount"]!.GetValue<int>()));
        Assert.Single(statements, sql => sql.Contains("unnest", StringComparison.Ordinal));
        Assert.Single(statements, sql => sql.Contains("count(*)", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(2, statements.Count);
    }
}
