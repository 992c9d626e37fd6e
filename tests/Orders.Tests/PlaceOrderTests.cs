using System.Text.Json;
using System.Text.Json.Nodes;
using Federation.Subgraph.Seeding;
using Federation.Testing.Security;

namespace Orders.Tests;

/// <summary>Each test places orders for its own user id above 9000, so counts it reads are its own.</summary>
[Collection(OrdersCollection.Name)]
public sealed class PlaceOrderTests(OrdersFixture fixture)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private const string Place = """
        mutation Place($input: PlaceOrderInput!, $key: String!) {
          placeOrder(input: $input, idempotencyKey: $key) {
            order { id user { id } status subtotal shippingCost tax total lines { product { id } quantity unitPrice } }
            errors { code message field }
          }
        }
        """;

    [Fact]
    public async Task PlaceOrder_Should_PriceLinesFromReadModel_When_InputValid()
    {
        // arrange
        var input = Input(new[] { new { productId = "12", quantity = 2 }, new { productId = "250", quantity = 1 } });

        // act
        var data = await fixture.Orders.DataAsync(TestCaller.Shopper(9001), Place, new { input, key = Guid.NewGuid().ToString() });

        // assert
        var payload = data["placeOrder"]!;
        Assert.Empty(payload["errors"]!.AsArray());
        var order = payload["order"]!;
        Assert.Equal("PLACED", order["status"]!.GetValue<string>());
        Assert.Equal("9001", order["user"]!["id"]!.GetValue<string>());
        var subtotal = 2 * SeedPlan.ProductPrice(12) + SeedPlan.ProductPrice(250);
        var tax = Math.Round((subtotal + 4.99m) * 0.0725m, 2, MidpointRounding.AwayFromZero);
        Assert.Equal((double)subtotal, order["subtotal"]!.GetValue<double>(), 2);
        Assert.Equal(4.99, order["shippingCost"]!.GetValue<double>());
        Assert.Equal((double)tax, order["tax"]!.GetValue<double>(), 2);
        Assert.Equal((double)(subtotal + 4.99m + tax), order["total"]!.GetValue<double>(), 2);
        Assert.Equal((double)SeedPlan.ProductPrice(12), order["lines"]![0]!["unitPrice"]!.GetValue<double>());
        Assert.True(int.Parse(order["id"]!.GetValue<string>()) > SeedPlan.OrderCount, "new orders get ids after the seeded ones");
        var read = await fixture.Orders.DataAsync(TestCaller.Shopper(9001), "query($id: ID!) { order(id: $id) { total lines { product { id } quantity } } }", new { id = order["id"]!.GetValue<string>() });
        Assert.Equal(order["total"]!.GetValue<double>(), read["order"]!["total"]!.GetValue<double>());
        Assert.Equal(2, read["order"]!["lines"]!.AsArray().Count);
    }

    [Fact]
    public async Task PlaceOrder_Should_ReturnSameOrder_When_KeySentTwice()
    {
        // arrange
        var input = Input(new[] { new { productId = "5", quantity = 1 } });
        var key = Guid.NewGuid().ToString();

        // act
        var first = await fixture.Orders.DataAsync(TestCaller.Shopper(9002), Place, new { input, key });
        var second = await fixture.Orders.DataAsync(TestCaller.Shopper(9002), Place, new { input, key });

        // assert
        Assert.Equal(first["placeOrder"]!["order"]!["id"]!.GetValue<string>(), second["placeOrder"]!["order"]!["id"]!.GetValue<string>());
        Assert.Empty(second["placeOrder"]!["errors"]!.AsArray());
        Assert.Equal(1, await OrderCountAsync("9002"));
    }

    [Fact]
    public async Task PlaceOrder_Should_CreateOneOrder_When_SameKeySentConcurrently()
    {
        // arrange
        var input = Input(new[] { new { productId = "6", quantity = 3 }, new { productId = "7", quantity = 1 } });
        var key = Guid.NewGuid().ToString();

        // act
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => fixture.Orders.DataAsync(TestCaller.Shopper(9003), Place, new { input, key })));

        // assert
        var ids = results.Select(r => r["placeOrder"]!["order"]!["id"]!.GetValue<string>()).Distinct();
        Assert.Single(ids);
        Assert.Equal(1, await OrderCountAsync("9003"));
    }

    [Fact]
    public async Task PlaceOrder_Should_ReturnConflict_When_KeyReusedForDifferentOrder()
    {
        // arrange
        var key = Guid.NewGuid().ToString();
        await fixture.Orders.DataAsync(TestCaller.Shopper(9004), Place, new { input = Input(new[] { new { productId = "8", quantity = 1 } }), key });

        // act
        var data = await fixture.Orders.DataAsync(TestCaller.Shopper(9004), Place, new { input = Input(new[] { new { productId = "8", quantity = 2 } }), key });

        // assert
        Assert.Null(data["placeOrder"]!["order"]);
        var error = Assert.Single(data["placeOrder"]!["errors"]!.AsArray());
        Assert.Equal("CONFLICT", error!["code"]!.GetValue<string>());
        Assert.Equal(1, await OrderCountAsync("9004"));
    }

    [Fact]
    public async Task PlaceOrder_Should_ReturnEveryValidationError_When_InputInvalid()
    {
        // arrange
        var input = Input(new[] { new { productId = "3", quantity = 0 }, new { productId = "x", quantity = 101 }, new { productId = "3", quantity = 1 } });

        // act
        var data = await fixture.Orders.DataAsync(TestCaller.Shopper(9008), Place, new { input, key = " " });

        // assert
        data.ToJsonString(Indented).MatchSnapshot();
    }

    [Fact]
    public async Task PlaceOrder_Should_RejectEmptyLines_When_NoLinesGiven()
    {
        // act
        var data = await fixture.Orders.DataAsync(TestCaller.Shopper(9005), Place, new { input = Input(Array.Empty<object>()), key = Guid.NewGuid().ToString() });

        // assert
        var error = Assert.Single(data["placeOrder"]!["errors"]!.AsArray());
        Assert.Equal("VALIDATION", error!["code"]!.GetValue<string>());
        Assert.Equal(["input", "lines"], error["field"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Equal(0, await OrderCountAsync("9005"));
    }

    [Fact]
    public async Task PlaceOrder_Should_WriteNothingAndKeepKeyFree_When_ProductUnknown()
    {
        // arrange
        var key = Guid.NewGuid().ToString();
        var bad = Input(new[] { new { productId = "10", quantity = 1 }, new { productId = "987654", quantity = 1 } });
        var good = Input(new[] { new { productId = "10", quantity = 1 } });

        // act
        var rejected = await fixture.Orders.DataAsync(TestCaller.Shopper(9006), Place, new { input = bad, key });
        var countAfterRejection = await OrderCountAsync("9006");
        var accepted = await fixture.Orders.DataAsync(TestCaller.Shopper(9006), Place, new { input = good, key });

        // assert
        Assert.Null(rejected["placeOrder"]!["order"]);
        var error = Assert.Single(rejected["placeOrder"]!["errors"]!.AsArray());
        Assert.Equal("NOT_FOUND", error!["code"]!.GetValue<string>());
        Assert.Equal(["input", "lines", "1", "productId"], error["field"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Equal(0, countAfterRejection);
        Assert.NotNull(accepted["placeOrder"]!["order"]);
        Assert.Equal(1, await OrderCountAsync("9006"));
    }

    [Fact]
    public async Task PlaceOrder_Should_ReturnGraphQLError_When_QuantityNotAnInt()
    {
        // act
        var response = await fixture.Orders.QueryAsync(TestCaller.Shopper(9007), Place, new { input = Input(new[] { new { productId = "1", quantity = 1e12 } }), key = "k" });

        // assert
        Assert.NotEmpty(response["errors"]!.AsArray());
        Assert.Equal(0, await OrderCountAsync("9007"));
    }

    /// <summary>A placeOrder input with these lines shipped by STANDARD to California on the approving test card.</summary>
    internal static object Input(object lines, object? address = null, string method = "STANDARD", string card = "4242 4242 4242 4242") =>
        new { lines, shippingAddress = address ?? California, shippingMethod = method, payment = new { cardNumber = card } };

    internal static readonly object California = new { name = "Ada Lovelace", line1 = "12 Market St", city = "San Francisco", region = "CA", postalCode = "94103", country = "US" };

    private async Task<int> OrderCountAsync(string userId)
    {
        var data = await fixture.Orders.DataAsync(TestCaller.Admin, """
            query($r: [_Any!]!) { _entities(representations: $r) { ... on User { orders { totalCount } } } }
            """, new { r = new[] { new { __typename = "User", id = userId } } });
        return data["_entities"]![0]!["orders"]!["totalCount"]!.GetValue<int>();
    }
}
