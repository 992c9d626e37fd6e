using Federation.Subgraph.Seeding;
using Federation.Testing.Security;

namespace Orders.Tests;

/// <summary>
/// Ownership straight at the subgraph (defense in depth): another user's order is answered as not found by every path,
/// the order history is refused with FORBIDDEN, the dashboard needs admin, and placeOrder orders for the caller only.
/// </summary>
[Collection(OrdersCollection.Name)]
public sealed class OrderAccessTests(OrdersFixture fixture)
{
    private const int OrderId = 7;
    private static readonly int Owner = SeedPlan.Orders[OrderId - 1].UserId;
    private static readonly TestCaller Stranger = TestCaller.Shopper(Owner % SeedPlan.UserCount + 1);

    private const string ByRoot = """query($id: ID!) { order(id: $id) { id total lines { quantity } } }""";

    private const string ByEntity = """
        query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { id total lines { quantity } } } }
        """;

    private const string History = """
        query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id orders(first: 1) { totalCount } } } }
        """;

    public static TheoryData<string> Readers => new() { "owner", "admin" };

    [Theory]
    [MemberData(nameof(Readers))]
    public async Task Order_Should_BeReadable_When_CallerIsOwnerOrAdmin(string reader)
    {
        // arrange
        var caller = reader == "owner" ? TestCaller.Shopper(Owner) : TestCaller.Admin;

        // act
        var root = await fixture.Orders.DataAsync(caller, ByRoot, new { id = OrderId.ToString() });
        var entity = await fixture.Orders.DataAsync(caller, ByEntity, new { r = new[] { new { __typename = "Order", id = OrderId.ToString() } } });
        var history = await fixture.Orders.DataAsync(caller, History, new { r = new[] { new { __typename = "User", id = Owner.ToString() } } });

        // assert
        Assert.Equal(OrderId.ToString(), root["order"]!["id"]!.GetValue<string>());
        Assert.Equal(OrderId.ToString(), entity["_entities"]![0]!["id"]!.GetValue<string>());
        Assert.Equal(SeedPlan.Orders.Count(o => o.UserId == Owner), history["_entities"]![0]!["orders"]!["totalCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task Order_Should_AnswerNullWithoutError_When_AnotherShopperReadsItByRootField()
    {
        // act
        var data = await fixture.Orders.DataAsync(Stranger, ByRoot, new { id = OrderId.ToString() });

        // assert: exactly what an unknown id answers, so ids cannot be probed
        Assert.Null(data["order"]);
    }

    [Fact]
    public async Task Entities_Should_AnswerNullForTheOrder_When_AnotherShopperReferencesIt()
    {
        // arrange: the stranger's own order beside the owner's, to show only the foreign one is withheld
        var own = SeedPlan.Orders.First(o => o.UserId.ToString() == Stranger.UserId).Id;
        object[] representations = [new { __typename = "Order", id = OrderId.ToString() }, new { __typename = "Order", id = own.ToString() }];

        // act
        var data = await fixture.Orders.DataAsync(Stranger, ByEntity, new { r = representations });

        // assert
        var entities = data["_entities"]!.AsArray();
        Assert.Null(entities[0]);
        Assert.Equal(own.ToString(), entities[1]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task UserOrders_Should_BeForbidden_When_AnotherShopperAsks()
    {
        // act
        var response = await fixture.Orders.QueryAsync(Stranger, History, new { r = new[] { new { __typename = "User", id = Owner.ToString() } } });

        // assert: User.orders is nullable (a failing orders subgraph nulls only its part), so the refusal nulls it alone
        Assert.Equal(["FORBIDDEN"], response.ErrorCodes());
        Assert.Equal(0, response["errors"]![0]!["path"]![1]!.GetValue<int>());
        Assert.Equal($$"""{"id":"{{Owner}}","orders":null}""", response["data"]!["_entities"]![0]!.ToJsonString());
    }

    [Theory]
    [InlineData("""{ order(id: "7") { id } }""")]
    [InlineData("""{ _entities(representations: [{ __typename: "Order", id: "7" }]) { ... on Order { id } } }""")]
    [InlineData("""{ _entities(representations: [{ __typename: "User", id: "3" }]) { ... on User { orders { totalCount } } } }""")]
    [InlineData("""mutation { placeOrder(input: { lines: [{ productId: "1", quantity: 1 }], shippingAddress: { name: "A", line1: "1 Main St", city: "Town", region: "CA", postalCode: "90001", country: "US" }, shippingMethod: STANDARD, payment: { cardNumber: "4242424242424242" } }, idempotencyKey: "anonymous") { order { id } } }""")]
    [InlineData("""{ orderStats { placed } }""")]
    [InlineData("""{ salesStats(minutes: 60, bucketMinutes: 5) { revenue } }""")]
    public async Task Operation_Should_BeUnauthenticated_When_CallerAnonymous(string query)
    {
        // act
        var response = await fixture.Orders.QueryAsync(TestCaller.Anonymous, query);

        // assert
        Assert.Equal(["UNAUTHENTICATED"], response.ErrorCodes());
        Assert.DoesNotContain("\"id\":\"7\"", response.ToJsonString());
    }

    [Theory]
    [InlineData("{ orderStats { placed } }")]
    [InlineData("{ salesStats(minutes: 60, bucketMinutes: 5) { revenue } }")]
    public async Task DashboardStats_Should_BeForbidden_When_CallerIsShopper(string query)
    {
        // act
        var response = await fixture.Orders.QueryAsync(TestCaller.Shopper(Owner), query);

        // assert
        Assert.Equal(["FORBIDDEN"], response.ErrorCodes());
        Assert.Null(response["data"]);
    }

    [Fact]
    public async Task PlaceOrder_Should_RefuseUserIdInput_When_ShopperNamesAnotherUser()
    {
        // arrange
        const int victim = 9101;

        // act
        var response = await fixture.Orders.QueryAsync(TestCaller.Shopper(9102), """
            mutation { placeOrder(input: { userId: "9101", lines: [{ productId: "1", quantity: 1 }], shippingAddress: { name: "A", line1: "1 Main St", city: "Town", region: "CA", postalCode: "90001", country: "US" }, shippingMethod: STANDARD, payment: { cardNumber: "4242424242424242" } }, idempotencyKey: "on-behalf") { order { id } } }
            """);

        // assert
        Assert.NotEmpty(response["errors"]!.AsArray());
        Assert.Null(response["data"]);
        var orders = await fixture.Orders.DataAsync(TestCaller.Admin, History, new { r = new[] { new { __typename = "User", id = victim.ToString() } } });
        Assert.Equal(0, orders["_entities"]![0]!["orders"]!["totalCount"]!.GetValue<int>());
    }
}
