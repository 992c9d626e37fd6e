using Federation.Subgraph.Seeding;
using Federation.Testing.Security;

namespace Payments.Tests;

/// <summary>
/// Ownership straight at the subgraph: a payment (seeded payment n pays order n) is visible to the order's owner and
/// admins only, by payment(id), Payment and Order references alike; the dashboard queries need admin.
/// </summary>
[Collection(PaymentsCollection.Name)]
public sealed class PaymentAccessTests(PaymentsFixture fixture)
{
    private const int PaymentId = 11;
    private static readonly int Owner = SeedPlan.Orders[PaymentId - 1].UserId;
    private static readonly TestCaller Stranger = TestCaller.Shopper(Owner % SeedPlan.UserCount + 1);

    private const string EveryPath = """
        query($id: ID!, $r: [_Any!]!) {
          payment(id: $id) { id amount }
          _entities(representations: $r) { ... on Payment { id amount } ... on Order { id payment { id amount } } }
        }
        """;

    private static object Variables => new
    {
        id = PaymentId.ToString(),
        r = new object[] { new { __typename = "Payment", id = PaymentId.ToString() }, new { __typename = "Order", id = PaymentId.ToString() } },
    };

    [Fact]
    public async Task Payment_Should_BeReadableByEveryPath_When_CallerOwnsTheOrder()
    {
        // act
        var data = await fixture.Payments.DataAsync(TestCaller.Shopper(Owner), EveryPath, Variables);

        // assert
        Assert.Equal(PaymentId.ToString(), data["payment"]!["id"]!.GetValue<string>());
        Assert.Equal(PaymentId.ToString(), data["_entities"]![0]!["id"]!.GetValue<string>());
        Assert.Equal(PaymentId.ToString(), data["_entities"]![1]!["payment"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Payment_Should_AnswerNullWithoutErrorByEveryPath_When_AnotherShopperAsks()
    {
        // act
        var data = await fixture.Payments.DataAsync(Stranger, EveryPath, Variables);

        // assert: the same answer as for an id that does not exist
        Assert.Null(data["payment"]);
        Assert.Null(data["_entities"]![0]);
        Assert.Equal(PaymentId.ToString(), data["_entities"]![1]!["id"]!.GetValue<string>());
        Assert.Null(data["_entities"]![1]!["payment"]);
    }

    [Fact]
    public async Task Payment_Should_BeUnauthenticatedByEveryPath_When_CallerAnonymous()
    {
        // act
        var response = await fixture.Payments.QueryAsync(TestCaller.Anonymous, EveryPath, Variables);

        // assert
        Assert.Equal(["UNAUTHENTICATED", "UNAUTHENTICATED", "UNAUTHENTICATED"], response.ErrorCodes());
        Assert.DoesNotContain("amount", response["data"]!.ToJsonString());
    }

    [Theory]
    [InlineData("{ paymentStats { succeeded } }")]
    [InlineData("{ recentPaymentFailures { id amount } }")]
    [InlineData("{ paymentFailures { totalCount nodes { id amount } } }")]
    public async Task DashboardQuery_Should_BeRefused_When_CallerIsNotAdmin(string query)
    {
        // act
        var shopper = await fixture.Payments.QueryAsync(TestCaller.Shopper(Owner), query);
        var anonymous = await fixture.Payments.QueryAsync(TestCaller.Anonymous, query);

        // assert
        Assert.Equal(["FORBIDDEN"], shopper.ErrorCodes());
        Assert.Null(shopper["data"]);
        Assert.Equal(["UNAUTHENTICATED"], anonymous.ErrorCodes());
        Assert.Null(anonymous["data"]);
    }
}
