using System.Globalization;
using System.Text.Json.Nodes;
using Federation.Gateway.Subscriptions;
using Federation.Gateway.Tests.Fixtures;
using Federation.Gateway.Tests.Fixtures.Subscriptions;
using Federation.Testing.Processes;
using Xunit.Abstractions;

namespace Federation.Gateway.Tests.Subscriptions;

/// <summary>
/// Subscriptions declared with <c>@kafkaSubscribe</c> (schema/events/events.graphql) through the gateway process in front
/// of the seven real subgraphs and their Kafka: the checkout saga seen through <c>orderUpdated</c> by its owner only,
/// <c>stockChanged</c> for anyone, and a reconnecting client resuming from its per-partition cursor.
/// </summary>
public sealed partial class EventDrivenSubscriptionTests(EventSubscriptionFixture fixture, ITestOutputHelper output) : IClassFixture<EventSubscriptionFixture>
{
    private const string OrderUpdated = """
        subscription OrderUpdated($id: ID!) {
          orderUpdated(id: $id) { id status total user { id } }
        }
        """;

    private const string StockChanged = """
        subscription StockChanged($productId: ID) {
          stockChanged(productId: $productId) { id name stock { onHand } }
        }
        """;

    [Fact]
    public async Task OrderUpdated_Should_FollowTheSagaFromPlacedToConfirmed_When_TheOwnerSubscribes()
    {
        // arrange
        var lines = await LinesAsync(1, 1);

        // act
        var statuses = await SagaAsync(lines, "CONFIRMED");

        // assert
        Assert.Equal("PLACED", statuses[0]);
        Assert.Equal("CONFIRMED", statuses[^1]);
        Assert.All(statuses, s => Assert.Contains(s, new[] { "PLACED", "CONFIRMED" }));
    }

    [Fact]
    public async Task OrderUpdated_Should_EndRejected_When_ThePaymentIsDeclined()
    {
        // arrange: above the test card's 5,000.00 limit.
        var lines = await LinesAsync(6, 100, above: 5_000m);

        // act
        var statuses = await SagaAsync(lines, "REJECTED");

        // assert
        Assert.Equal("PLACED", statuses[0]);
        Assert.Equal("REJECTED", statuses[^1]);
        Assert.All(statuses, s => Assert.Contains(s, new[] { "PLACED", "REJECTED" }));
    }

    [Fact]
    public async Task OrderUpdated_Should_AnswerAnError_When_AnotherUserSubscribesToTheOrder()
    {
        // arrange
        var orderId = await PlaceOrderAsync(fixture.Tokens.Token(subject: "1"), await LinesAsync(1, 1));
        await using var client = await fixture.ConnectAsync(fixture.Tokens.Token(subject: "2"));

        // act
        await client.SubscribeAsync("1", OrderUpdated, new JsonObject { ["id"] = orderId });
        var next = await client.ReceiveAsync();
        var complete = await client.ReceiveAsync();

        // assert
        Assert.Equal("next", next["type"]?.GetValue<string>());
        Assert.Null(next["payload"]?["data"]);
        Assert.Contains(next["payload"]!["errors"]!.AsArray(), e => e!["extensions"]!["code"]!.GetValue<string>() == "NOT_FOUND");
        Assert.Equal("complete", complete["type"]?.GetValue<string>());
    }

    [Fact]
    public async Task StockChanged_Should_DeliverOnlyTheNamedProduct_When_AnAnonymousCallerSubscribes()
    {
        // arrange
        var (watched, other) = (await ProductIdsAsync(2, skip: 20)) switch { var ids => (ids[0], ids[1]) };
        await using var client = await fixture.ConnectAsync(null);
        await client.SubscribeAsync("1", StockChanged, new JsonObject { ["productId"] = watched });
        var current = await client.ReceiveAsync();

        // act
        await AdjustStockAsync(other, 3);
        var onHand = await AdjustStockAsync(watched, 7);
        var next = await client.ReceiveAsync();

        // assert
        Assert.Equal(onHand - 7, current["payload"]!["data"]!["stockChanged"]!["stock"]!["onHand"]!.GetValue<int>());
        Assert.Equal("next", next["type"]?.GetValue<string>());
        var product = next["payload"]!["data"]!["stockChanged"]!;
        Assert.Equal(watched, product["id"]!.GetValue<string>());
        Assert.Equal(onHand, product["stock"]!["onHand"]!.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(next["payload"]!["extensions"]!["cursor"]!.GetValue<string>()));
    }

    [Fact]
    public async Task StockChanged_Should_ReplayExactlyTheMissedEventsInPartitionOrder_When_AClientResumesFromItsCursor()
    {
        // arrange: a cursor from a first connection, then twelve changes on six products while the client is away.
        var products = await ProductIdsAsync(7, skip: 30);
        var (first, missed) = (products[0], products[1..]);
        string cursor;
        await using (var client = await fixture.ConnectAsync(null))
        {
            await client.SubscribeAsync("1", StockChanged, new JsonObject { ["productId"] = first });
            await client.ReceiveAsync();
            await AdjustStockAsync(first, 1);
            cursor = (await client.ReceiveAsync())["payload"]!["extensions"]!["cursor"]!.GetValue<string>();
        }

        var expected = new List<string>();
        for (var round = 0; round < 2; round++)
        {
            foreach (var id in missed)
            {
                await AdjustStockAsync(id, 1);
                expected.Add(id);
            }
        }

        // act
        await using var resumed = await fixture.ConnectAsync(null);
        await resumed.SendAsync(new JsonObject
        {
            ["id"] = "1",
            ["type"] = "subscribe",
            ["payload"] = new JsonObject { ["query"] = StockChanged, ["extensions"] = new JsonObject { ["cursor"] = cursor } },
        });
        var received = new List<(string Id, EventCursor Cursor)>();
        while (received.Count(r => missed.Contains(r.Id)) < expected.Count)
        {
            var next = await resumed.ReceiveAsync();
            Assert.Equal("next", next["type"]?.GetValue<string>());
            received.Add((
                next["payload"]!["data"]!["stockChanged"]!["id"]!.GetValue<string>(),
                EventCursor.Decode(next["payload"]!["extensions"]!["cursor"]!.GetValue<string>())!));
        }

        // assert: the same changes per product, and per partition in offset order (a product's events share its partition).
        var ours = received.Where(r => missed.Contains(r.Id)).ToList();
        Assert.Equal(expected.Order(StringComparer.Ordinal), ours.Select(r => r.Id).Order(StringComparer.Ordinal));
        var start = EventCursor.Decode(cursor)!;
        var partitions = new HashSet<int>();
        var last = new Dictionary<int, long>(start.Next);
        foreach (var (_, next) in received)
        {
            var advanced = next.Next.Where(p => p.Value != last.GetValueOrDefault(p.Key)).ToList();
            var (partition, offset) = Assert.Single(advanced);
            Assert.True(offset > last.GetValueOrDefault(partition), $"partition {partition} went back to {offset}");
            last[partition] = offset;
            partitions.Add(partition);
        }

        Assert.True(partitions.Count >= 2, $"the missed events were all on partition {string.Join(", ", partitions)}");
    }

    [Fact]
    public async Task NotificationAdded_Should_DeliverOnlyTheCallersOwnNotifications_When_TwoUsersSubscribe()
    {
        // arrange
        var (alice, bob) = (fixture.Tokens.Token(subject: "3"), fixture.Tokens.Token(subject: "4"));
        await using var aliceClient = await fixture.ConnectAsync(alice);
        await using var bobClient = await fixture.ConnectAsync(bob);
        const string NotificationAdded = "subscription { notificationAdded { id kind message user { id } } }";
        await aliceClient.SubscribeAsync("1", NotificationAdded);
        await bobClient.SubscribeAsync("1", NotificationAdded);
        var lines = await LinesAsync(1, 1);

        // act: each user's first notification is the one of their own order, though Alice's order came first.
        var aliceOrder = await PlaceOrderAsync(alice, lines);
        var aliceFirst = await aliceClient.ReceiveAsync();
        var bobOrder = await PlaceOrderAsync(bob, lines);
        var bobFirst = await bobClient.ReceiveAsync();

        // assert
        var aliceNotification = aliceFirst["payload"]!["data"]!["notificationAdded"]!;
        var bobNotification = bobFirst["payload"]!["data"]!["notificationAdded"]!;
        Assert.Equal("3", aliceNotification["user"]!["id"]!.GetValue<string>());
        Assert.Contains($"#{aliceOrder}", aliceNotification["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("4", bobNotification["user"]!["id"]!.GetValue<string>());
        Assert.Contains($"#{bobOrder}", bobNotification["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("subscription { notificationAdded { id } }")]
    [InlineData("subscription { orderUpdated(id: \"1\") { id status } }")]
    public async Task OwnerOnlySubscription_Should_BeRefused_When_TheCallerIsAnonymous(string subscription)
    {
        // arrange
        await using var client = await fixture.ConnectAsync(null);

        // act
        await client.SubscribeAsync("1", subscription);
        var answer = await client.ReceiveAsync();

        // assert
        Assert.Equal("error", answer["type"]?.GetValue<string>());
        Assert.Equal("UNAUTHORIZED_FIELD_OR_TYPE", answer["payload"]![0]!["extensions"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task StockChanged_Should_BeRefusedWithBadCursor_When_TheCursorIsOfAnotherTopic()
    {
        // arrange
        await using var client = await fixture.ConnectAsync(null);
        var cursor = new EventCursor("orders.order.v1", new Dictionary<int, long> { [0] = 0 }).Encode();

        // act
        await client.SendAsync(new JsonObject
        {
            ["id"] = "1",
            ["type"] = "subscribe",
            ["payload"] = new JsonObject { ["query"] = StockChanged, ["extensions"] = new JsonObject { ["cursor"] = cursor } },
        });
        var answer = await client.ReceiveAsync();

        // assert
        Assert.Equal("error", answer["type"]?.GetValue<string>());
        Assert.Equal("BAD_CURSOR", answer["payload"]![0]!["extensions"]!["code"]!.GetValue<string>());
    }

    /// <summary>
    /// The statuses the owner's <c>orderUpdated</c> shows for an order of <paramref name="lines"/> until <paramref name="final"/>.
    /// Payments is stopped while the order is placed and subscribed to, so the first status is PLACED whatever the machine's speed.
    /// </summary>
    private async Task<List<string>> SagaAsync(JsonArray lines, string final)
    {
        var owner = fixture.Tokens.Token(subject: "1");
        var payments = fixture.Subgraphs.Subgraphs["payments"].Process.Id;
        Signals.Stop(payments);
        var stopped = true;
        try
        {
            var orderId = await PlaceOrderAsync(owner, lines);
            await using var client = await fixture.ConnectAsync(owner);
            await client.SubscribeAsync("1", OrderUpdated, new JsonObject { ["id"] = orderId });
            List<string> statuses = [Status(await client.ReceiveAsync(), orderId)];
            Signals.Continue(payments);
            stopped = false;
            statuses.AddRange(await StatusesUntilAsync(client, orderId, final));
            return statuses;
        }
        finally
        {
            if (stopped)
            {
                Signals.Continue(payments);
            }
        }
    }

    private static string Status(JsonObject message, string orderId)
    {
        Assert.Equal("next", message["type"]?.GetValue<string>());
        var order = message["payload"]?["data"]?["orderUpdated"] ?? throw new InvalidOperationException($"No order in {message.ToJsonString()}");
        Assert.Equal(orderId, order["id"]!.GetValue<string>());
        Assert.NotNull(message["payload"]!["extensions"]?["cursor"]);
        return order["status"]!.GetValue<string>();
    }

    private static async Task<List<string>> StatusesUntilAsync(GraphQLWsClient client, string orderId, string final)
    {
        var statuses = new List<string>();
        while (statuses.Count == 0 || statuses[^1] != final)
        {
            statuses.Add(Status(await client.ReceiveAsync(), orderId));
            Assert.True(statuses.Count < 10, $"No {final} after {string.Join(", ", statuses)}");
        }

        return statuses;
    }

    private async Task<List<string>> ProductIdsAsync(int count, int skip)
    {
        var (_, body) = await fixture.Gateway.PostAsync("query { products(first: 60) { nodes { id price } } }");
        return [.. body["data"]!["products"]!["nodes"]!.AsArray().Select(n => n!["id"]!.GetValue<string>()).Skip(skip).Take(count)];
    }

    /// <summary><paramref name="count"/> order lines of <paramref name="quantity"/> (stock added first), totalling more than <paramref name="above"/>.</summary>
    private async Task<JsonArray> LinesAsync(int count, int quantity, decimal above = 0)
    {
        var (_, body) = await fixture.Gateway.PostAsync("query { products(first: 60) { nodes { id price } } }");
        var products = body["data"]!["products"]!["nodes"]!.AsArray()
            .Select(n => (Id: n!["id"]!.GetValue<string>(), Price: n["price"]!.GetValue<decimal>()))
            .OrderByDescending(p => p.Price)
            .Take(count)
            .ToList();
        Assert.True(products.Sum(p => p.Price * quantity) > above, "the catalog's dearest products cannot reach the amount");
        var lines = new JsonArray();
        foreach (var (id, _) in products)
        {
            await AdjustStockAsync(id, quantity);
            lines.Add(new JsonObject { ["productId"] = id, ["quantity"] = quantity });
        }

        return lines;
    }

    private async Task<string> PlaceOrderAsync(string token, JsonArray lines)
    {
        var (_, body) = await fixture.Gateway.PostAsync(
            """
            mutation Place($input: PlaceOrderInput!, $key: String!) {
              placeOrder(input: $input, idempotencyKey: $key) { order { id status } errors { code message } }
            }
            """,
            new
            {
                input = new
                {
                    lines,
                    shippingAddress = new { name = "Live Tester", line1 = "1 SW Main St", city = "Portland", region = "OR", postalCode = "97204", country = "US" },
                    shippingMethod = "STANDARD",
                    payment = new { cardNumber = "4242 4242 4242 4242" },
                },
                key = Guid.NewGuid().ToString(),
            },
            token);
        return body["data"]?["placeOrder"]?["order"]?["id"]?.GetValue<string>() ?? throw new InvalidOperationException(body.ToJsonString());
    }

    private async Task<int> AdjustStockAsync(string productId, int delta)
    {
        var (_, body) = await fixture.Gateway.PostAsync(
            "mutation Adjust($id: ID!, $delta: Int!) { adjustStock(productId: $id, delta: $delta) { stock { onHand } errors { code message } } }",
            new { id = productId, delta },
            fixture.Tokens.Token(subject: "1", scope: "shopper admin"));
        return body["data"]?["adjustStock"]?["stock"]?["onHand"]?.GetValue<int>() ?? throw new InvalidOperationException(body.ToJsonString());
    }
}
