using System.Text.Json.Nodes;
using Federation.Subgraph.Seeding;
using Federation.Testing.Security;

namespace Orders.Tests;

[Collection(OrdersCollection.Name)]
public sealed class UserOrdersTests(OrdersFixture fixture)
{
    private const string Page = """
        query Page($r: [_Any!]!, $first: Int, $after: String) {
          _entities(representations: $r) {
            ... on User { orders(first: $first, after: $after) { totalCount edges { node { id placedAt } } pageInfo { hasNextPage hasPreviousPage endCursor } } }
          }
        }
        """;

    [Fact]
    public async Task UserOrders_Should_VisitEveryOrderOnceNewestFirst_When_PagingWithCursors()
    {
        // arrange
        const int userId = 17;
        var expected = SeedPlan.Orders.Where(o => o.UserId == userId).OrderByDescending(o => o.PlacedAt).ThenByDescending(o => o.Id).Select(o => o.Id).ToList();
        var seen = new List<int>();
        string? after = null;
        var capture = await fixture.Orders.CaptureSqlAsync();

        // act
        do
        {
            var orders = (await fixture.Orders.DataAsync(TestCaller.Shopper(userId), Page, new { r = User(userId.ToString()), first = 4, after }))["_entities"]![0]!["orders"]!;
            Assert.Equal(expected.Count, orders["totalCount"]!.GetValue<int>());
            Assert.Equal(after is not null, orders["pageInfo"]!["hasPreviousPage"]!.GetValue<bool>());
            seen.AddRange(orders["edges"]!.AsArray().Select(e => int.Parse(e!["node"]!["id"]!.GetValue<string>())));
            after = orders["pageInfo"]!["hasNextPage"]!.GetValue<bool>() ? orders["pageInfo"]!["endCursor"]!.GetValue<string>() : null;
        }
        while (after is not null);

        // assert
        var statements = await capture.StatementsAsync();
        Assert.True(expected.Count > 8, "the user has more than two pages");
        Assert.Equal(expected, seen);
        var pages = statements.Where(sql => sql.Contains("unnest", StringComparison.Ordinal)).ToList();
        Assert.All(pages, sql => Assert.DoesNotContain("OFFSET", sql));
        Assert.Contains(pages, sql => sql.Contains("(placed_at, id) < (", StringComparison.Ordinal));
    }

    private static object[] User(string id) => [new { __typename = "User", id }];

    [Fact]
    public async Task UserOrders_Should_ReturnEmptyConnection_When_UserHasNoOrders()
    {
        // act
        var data = await fixture.Orders.DataAsync(TestCaller.Shopper(8888), Page, new { r = User("8888"), first = 5 });

        // assert
        var orders = data["_entities"]![0]!["orders"]!;
        Assert.Equal(0, orders["totalCount"]!.GetValue<int>());
        Assert.Empty(orders["edges"]!.AsArray());
        Assert.False(orders["pageInfo"]!["hasNextPage"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("not-a-cursor", 5, "BAD_CURSOR")]
    [InlineData("MTIzHzQ1Ng==", 5, "BAD_CURSOR")]
    [InlineData(null, 101, "BAD_USER_INPUT")]
    [InlineData(null, -1, "BAD_USER_INPUT")]
    public async Task UserOrders_Should_ReturnCodedError_When_ArgumentInvalid(string? after, int first, string code)
    {
        // act
        var response = await fixture.Orders.QueryAsync(TestCaller.Shopper(3), Page, new { r = User("3"), first, after });

        // assert
        var error = Assert.Single(response["errors"]!.AsArray());
        Assert.Equal(code, error!["extensions"]!["code"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{ order(id: "abc") { id } }""")]
    [InlineData("""{ order(id: "-4") { id } }""")]
    public async Task Order_Should_ReturnBadUserInput_When_IdInvalid(string query)
    {
        // act
        var response = await fixture.Orders.QueryAsync(query);

        // assert
        var error = Assert.Single(response["errors"]!.AsArray());
        Assert.Equal("BAD_USER_INPUT", error!["extensions"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Order_Should_ReturnNull_When_IdUnknown()
    {
        // act
        var data = await fixture.Orders.DataAsync(TestCaller.Admin, """{ order(id: "987654") { id } }""");

        // assert
        Assert.Null(data["order"]);
    }

    [Fact]
    public async Task SeededOrders_Should_MatchSeedPlan_When_ReadBack()
    {
        // arrange
        int[] ids = [1, 2, 500, 999, 1000];

        // act
        var data = await fixture.Orders.DataAsync(TestCaller.Admin, """
            query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { id user { id } status total placedAt lines { product { id } quantity unitPrice } } } }
            """, new { r = ids.Select(id => new { __typename = "Order", id = id.ToString() }) });

        // assert
        foreach (var (order, id) in data["_entities"]!.AsArray().Zip(ids))
        {
            var plan = SeedPlan.Orders[id - 1];
            Assert.Equal(plan.UserId.ToString(), order!["user"]!["id"]!.GetValue<string>());
            Assert.Equal((double)plan.Total, order["total"]!.GetValue<double>(), 2);
            Assert.Equal(plan.Status.ToString().ToUpperInvariant(), order["status"]!.GetValue<string>());
            Assert.Equal(plan.PlacedAt, DateTimeOffset.Parse(order["placedAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(
                plan.Lines.Select(l => (l.ProductId.ToString(), l.Quantity, (double)l.UnitPrice)),
                order["lines"]!.AsArray().Select(l => (l!["product"]!["id"]!.GetValue<string>(), l["quantity"]!.GetValue<int>(), l["unitPrice"]!.GetValue<double>())));
        }
    }
}
