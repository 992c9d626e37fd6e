using System.Net;
using System.Text.Json.Nodes;
using Federation.Testing.Security;
using Npgsql;

namespace Orders.Tests;

/// <summary>
/// Shipping, tax and card on orders: the quote and the order are priced by the same server tables, the client sends no
/// amount, and bad addresses, methods and cards are refused with a code. Users 9201-9209 are this class's own.
/// </summary>
[Collection(OrdersCollection.Name)]
public sealed class CheckoutTests(OrdersFixture fixture)
{
    private const string Quote = """
        query Quote($input: CheckoutQuoteInput!) {
          checkoutQuote(input: $input) {
            quote { subtotal shipping taxRate tax total shippingMethod lines { product { id } quantity unitPrice } }
            errors { code message field }
          }
        }
        """;

    private const string Place = """
        mutation Place($input: PlaceOrderInput!, $key: String!) {
          placeOrder(input: $input, idempotencyKey: $key) {
            order {
              id subtotal shippingCost tax total shippingMethod rejectionReason
              shippingAddress { name line1 line2 city region postalCode country }
              paymentCard { brand last4 }
            }
            errors { code message field }
          }
        }
        """;

    private static readonly object[] TwoLines = [new { productId = "12", quantity = 2 }, new { productId = "40", quantity = 1 }];

    private static object Berlin => new { name = "Max Muster", line1 = "Unter den Linden 1", city = "Berlin", postalCode = "10117", country = "de" };

    [Fact]
    public async Task PlaceOrder_Should_ChargeWhatTheQuoteShowed_When_SameLinesAddressAndMethod()
    {
        // act
        var quoted = await fixture.Orders.DataAsync(TestCaller.Shopper(9201), Quote,
            new { input = new { lines = TwoLines, shippingAddress = Berlin, shippingMethod = "EXPRESS" } });
        var placed = await fixture.Orders.DataAsync(TestCaller.Shopper(9201), Place,
            new { input = PlaceOrderTests.Input(TwoLines, Berlin, "EXPRESS", "4242-4242-4242-4242"), key = Guid.NewGuid().ToString() });

        // assert
        var quote = quoted["checkoutQuote"]!["quote"]!;
        var order = placed["placeOrder"]!["order"]!;
        Assert.Empty(placed["placeOrder"]!["errors"]!.AsArray());
        Assert.Equal(14.99, quote["shipping"]!.GetValue<double>());
        Assert.Equal(0.19, quote["taxRate"]!.GetValue<double>());
        var subtotal = (decimal)quote["subtotal"]!.GetValue<double>();
        var tax = Math.Round((subtotal + 14.99m) * 0.19m, 2, MidpointRounding.AwayFromZero);
        Assert.Equal((double)tax, quote["tax"]!.GetValue<double>(), 2);
        Assert.Equal((double)(subtotal + 14.99m + tax), quote["total"]!.GetValue<double>(), 2);
        foreach (var (quoteField, orderField) in new[] { ("subtotal", "subtotal"), ("shipping", "shippingCost"), ("tax", "tax"), ("total", "total") })
            Assert.Equal(quote[quoteField]!.GetValue<double>(), order[orderField]!.GetValue<double>());
        Assert.Equal("EXPRESS", order["shippingMethod"]!.GetValue<string>());
        Assert.Equal("DE", order["shippingAddress"]!["country"]!.GetValue<string>());
        Assert.Equal("Max Muster", order["shippingAddress"]!["name"]!.GetValue<string>());
        Assert.Equal("Visa", order["paymentCard"]!["brand"]!.GetValue<string>());
        Assert.Equal("4242", order["paymentCard"]!["last4"]!.GetValue<string>());
        Assert.Null(order["rejectionReason"]);
    }

    [Fact]
    public async Task PlaceOrder_Should_StoreNoFullCardNumber_When_OrderPlaced()
    {
        // act
        var placed = await fixture.Orders.DataAsync(TestCaller.Shopper(9202), Place,
            new { input = PlaceOrderTests.Input(TwoLines, card: "5555555555554444"), key = Guid.NewGuid().ToString() });

        // assert
        Assert.Equal("Mastercard", placed["placeOrder"]!["order"]!["paymentCard"]!["brand"]!.GetValue<string>());
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT (SELECT count(*) FROM orders o WHERE o::text LIKE '%555555555555%')
                 + (SELECT count(*) FROM outbox_messages m WHERE m::text LIKE '%555555555555%')
            """, connection);
        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
    }

    [Theory]
    [InlineData("OR", 0.0)]
    [InlineData("CA", 0.0725)]
    [InlineData("ny", 0.04)]
    public async Task CheckoutQuote_Should_TaxByState_When_ShippedInTheUs(string state, double rate)
    {
        // act
        var data = await fixture.Orders.DataAsync(TestCaller.Shopper(9203), Quote, new
        {
            input = new { lines = TwoLines, shippingAddress = new { name = "A", line1 = "1 Main St", city = "Town", region = state, postalCode = "00001", country = "US" }, shippingMethod = "STANDARD" },
        });

        // assert
        var quote = data["checkoutQuote"]!["quote"]!;
        Assert.Equal(rate, quote["taxRate"]!.GetValue<double>());
        Assert.Equal(4.99, quote["shipping"]!.GetValue<double>());
    }

    [Fact]
    public async Task PlaceOrder_Should_ReturnAnErrorPerBadFieldAndWriteNothing_When_AddressEmptyAndCardMalformed()
    {
        // arrange
        var emptyAddress = new { name = " ", line1 = "", city = "", postalCode = " ", country = "US" };

        // act
        var malformed = await fixture.Orders.DataAsync(TestCaller.Shopper(9204), Place,
            new { input = PlaceOrderTests.Input(TwoLines, emptyAddress, card: "4242 abcd"), key = Guid.NewGuid().ToString() });
        var mistyped = await fixture.Orders.DataAsync(TestCaller.Shopper(9204), Place,
            new { input = PlaceOrderTests.Input(TwoLines, card: "4242 4242 4242 4241"), key = Guid.NewGuid().ToString() });
        var nowhere = await fixture.Orders.DataAsync(TestCaller.Shopper(9204), Place,
            new { input = PlaceOrderTests.Input(TwoLines, new { name = "A", line1 = "B", city = "C", postalCode = "D", country = "ZZ" }), key = Guid.NewGuid().ToString() });

        // assert
        Assert.Equal(
            ["input.shippingAddress.name", "input.shippingAddress.line1", "input.shippingAddress.city", "input.shippingAddress.postalCode", "input.payment.cardNumber"],
            Fields(malformed));
        Assert.Equal(["input.payment.cardNumber"], Fields(mistyped));
        Assert.Contains("check digit", mistyped["placeOrder"]!["errors"]![0]!["message"]!.GetValue<string>());
        Assert.Equal(["input.shippingAddress.country"], Fields(nowhere));
        Assert.Contains("We do not ship to ZZ", nowhere["placeOrder"]!["errors"]![0]!["message"]!.GetValue<string>());
        foreach (var payload in new[] { malformed, mistyped, nowhere })
        {
            Assert.Null(payload["placeOrder"]!["order"]);
            Assert.All(payload["placeOrder"]!["errors"]!.AsArray(), e => Assert.Equal("VALIDATION", e!["code"]!.GetValue<string>()));
        }
        var count = await fixture.Orders.DataAsync(TestCaller.Admin, """
            { _entities(representations: [{ __typename: "User", id: "9204" }]) { ... on User { orders { totalCount } } } }
            """);
        Assert.Equal(0, count["_entities"]![0]!["orders"]!["totalCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task CheckoutQuote_Should_AskForTheState_When_UsAddressHasNone()
    {
        // act
        var data = await fixture.Orders.DataAsync(TestCaller.Anonymous, Quote, new
        {
            input = new { lines = TwoLines, shippingAddress = new { name = "A", line1 = "1 Main St", city = "Town", postalCode = "00001", country = "US" }, shippingMethod = "STANDARD" },
        });

        // assert
        Assert.Null(data["checkoutQuote"]!["quote"]);
        Assert.Equal(["input.shippingAddress.region"], Fields(data, "checkoutQuote"));
    }

    [Fact]
    public async Task PlaceOrder_Should_AnswerAGraphQLErrorNot500_When_ShippingMethodUnknown()
    {
        // act
        using var response = await fixture.Orders.PostAsync(Place,
            new { input = PlaceOrderTests.Input(TwoLines, method: "TELEPORT"), key = Guid.NewGuid().ToString() },
            authorization: new("Bearer", TestInternalTokens.Mint(fixture.Orders.Name, "9205", [])));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

        // assert
        Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Null(body["data"]);
        Assert.Contains("TELEPORT", body["errors"]![0]!["message"]!.GetValue<string>());
        Assert.NotNull(body["errors"]![0]!["extensions"]!["code"]);
    }

    [Fact]
    public async Task ShippingMethods_Should_ListEachMethodWithItsCost_When_Queried()
    {
        // act
        var data = await fixture.Orders.DataAsync(TestCaller.Anonymous, "{ shippingMethods { method name cost minDays maxDays } }");

        // assert
        var methods = data["shippingMethods"]!.AsArray();
        Assert.Equal(["STANDARD:4.99", "EXPRESS:14.99"], methods.Select(m => $"{m!["method"]}:{m["cost"]}"));
    }

    private static IEnumerable<string> Fields(JsonObject data, string payload = "placeOrder") =>
        data[payload]!["errors"]!.AsArray().Select(e => string.Join('.', e!["field"]!.AsArray().Select(f => f!.GetValue<string>())));
}
