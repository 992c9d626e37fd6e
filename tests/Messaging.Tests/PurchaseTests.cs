using System.Globalization;
using Federation.Testing.Servers;
using Federation.Testing.Subgraphs;

namespace Messaging.Tests;

/// <summary>
/// The saga's followers with orders, inventory, payments and reviews as processes: an order the saga confirms
/// reaches reviews as a purchase (OrderConfirmed), after which addReview accepts the buyer.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class PurchaseTests(MessagingFixture fixture)
{
    private const string AddReview = """
        mutation($input: AddReviewInput!) { addReview(input: $input) { review { id rating } errors { code message } } }
        """;

    [Fact]
    public async Task AddReview_Should_AcceptTheBuyer_When_TheSagaConfirmedTheirOrder()
    {
        // arrange
        var ordersDb = await fixture.CreateDatabaseAsync("pu_orders");
        var inventoryDb = await fixture.CreateDatabaseAsync("pu_inventory");
        var paymentsDb = await fixture.CreateDatabaseAsync("pu_payments");
        var reviewsDb = await fixture.CreateDatabaseAsync("pu_reviews");
        // A cluster of its own: the services' topic names are fixed, so a shared cluster would mix tests' events.
        await using var cluster = await KafkaMockCluster.StartAsync();
        var kafka = cluster.BootstrapServers;
        var group = Guid.NewGuid().ToString("N");
        var ordersStart = SubgraphProcess.StartAsync("Orders", Settings("Orders", ordersDb, kafka, group));
        var inventoryStart = SubgraphProcess.StartAsync("Inventory", Settings("Inventory", inventoryDb, kafka, group));
        var paymentsStart = SubgraphProcess.StartAsync("Payments", Settings("Payments", paymentsDb, kafka, group));
        var reviewsStart = SubgraphProcess.StartAsync("Reviews", Settings("Reviews", reviewsDb, kafka, group));
        await using var orders = await ordersStart;
        await using var inventory = await inventoryStart;
        await using var payments = await paymentsStart;
        await using var reviews = await reviewsStart;
        const int user = 1;
        var product = (int)await Propagation.ScalarAsync(inventoryDb, "SELECT product_id FROM stock_items WHERE on_hand - reserved >= 5 ORDER BY product_id DESC LIMIT 1");
        Assert.Equal(0, await Propagation.ScalarAsync(reviewsDb, $"SELECT count(*) FROM purchases WHERE user_id = {user} AND product_id = {product}"));
        var before = await ReviewAsync(reviews, user, product);

        // act
        var orderId = await PlaceAsync(orders, user, product);
        await Propagation.WaitForAsync(async () => await Propagation.ScalarAsync(ordersDb, $"SELECT count(*) FROM orders WHERE id = {orderId} AND status = 'Confirmed'") == 1, "the saga to confirm the order", orders, inventory, payments);
        await Propagation.WaitForAsync(async () => await Propagation.ScalarAsync(reviewsDb, $"SELECT count(*) FROM purchases WHERE user_id = {user} AND product_id = {product}") == 1, "reviews to record the purchase", orders, reviews);
        var after = await ReviewAsync(reviews, user, product);

        // assert
        Assert.Equal(["FORBIDDEN"], before["errors"]!.AsArray().Select(e => e!["code"]!.GetValue<string>()));
        Assert.Empty(after["errors"]!.AsArray());
        Assert.Equal(4, after["review"]!["rating"]!.GetValue<int>());
        Assert.Equal(1, await Propagation.ScalarAsync(reviewsDb, $"SELECT count(*) FROM reviews WHERE user_id = {user} AND product_id = {product}"));
        Assert.Equal(1, await Propagation.ScalarAsync(reviewsDb, "SELECT count(*) FROM inbox_messages WHERE type = 'OrderConfirmed'"));
    }

    private static Dictionary<string, string?> Settings(string service, string database, string kafka, string group) => new()
    {
        [$"ConnectionStrings__{service}"] = database,
        ["Kafka__BootstrapServers"] = kafka,
        ["Messaging__GroupId"] = $"{service.ToLowerInvariant()}-{group}",
    };

    private static async Task<System.Text.Json.Nodes.JsonNode> ReviewAsync(SubgraphProcess reviews, int user, int product)
    {
        var input = new { productId = product.ToString(CultureInfo.InvariantCulture), userId = user.ToString(CultureInfo.InvariantCulture), rating = 4, body = "Bought it through the saga." };
        var response = await reviews.QueryAsync(AddReview, new { input });
        return response["data"]!["addReview"]!;
    }

    private static async Task<int> PlaceAsync(SubgraphProcess orders, int user, int product)
    {
        var input = new { userId = user.ToString(CultureInfo.InvariantCulture), lines = new[] { new { productId = product.ToString(CultureInfo.InvariantCulture), quantity = 1 } } };
        var response = await orders.QueryAsync(
            "mutation($input: PlaceOrderInput!, $key: String!) { placeOrder(input: $input, idempotencyKey: $key) { order { id } errors { code message } } }",
            new { input, key = Guid.NewGuid().ToString() });
        Assert.Empty(response["data"]!["placeOrder"]!["errors"]!.AsArray());
        return int.Parse(response["data"]!["placeOrder"]!["order"]!["id"]!.GetValue<string>(), CultureInfo.InvariantCulture);
    }
}
