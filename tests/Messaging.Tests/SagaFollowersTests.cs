using System.Globalization;
using Federation.Testing.Security;
using Federation.Testing.Servers;
using Federation.Testing.Subgraphs;

namespace Messaging.Tests;

/// <summary>
/// The saga's followers with orders, inventory, payments, reviews and notifications as processes: an order the
/// saga confirms reaches reviews as a purchase (addReview then accepts the buyer) and the buyer is told at each step.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class SagaFollowersTests(MessagingFixture fixture)
{
    private const string AddReview = """
        mutation($input: AddReviewInput!) { addReview(input: $input) { review { id rating } errors { code message } } }
        """;

    [Fact]
    public async Task SagaOutcomes_Should_RecordPurchasesAndNotifyTheBuyer_When_OrdersAreConfirmedOrRejected()
    {
        // arrange
        var ordersDb = await fixture.CreateDatabaseAsync("sf_orders");
        var inventoryDb = await fixture.CreateDatabaseAsync("sf_inventory");
        var paymentsDb = await fixture.CreateDatabaseAsync("sf_payments");
        var reviewsDb = await fixture.CreateDatabaseAsync("sf_reviews");
        var notificationsDb = await fixture.CreateDatabaseAsync("sf_notifications");
        // A cluster of its own: the services' topic names are fixed, so a shared cluster would mix tests' events.
        await using var cluster = await KafkaMockCluster.StartAsync();
        var kafka = cluster.BootstrapServers;
        var group = Guid.NewGuid().ToString("N");
        var ordersStart = SubgraphProcess.StartAsync("Orders", ServiceSettings.For("Orders", ordersDb, kafka, group));
        var inventoryStart = SubgraphProcess.StartAsync("Inventory", ServiceSettings.For("Inventory", inventoryDb, kafka, group));
        var reviewsStart = SubgraphProcess.StartAsync("Reviews", ServiceSettings.For("Reviews", reviewsDb, kafka, group));
        var notificationsStart = SubgraphProcess.StartAsync("Notifications", ServiceSettings.For("Notifications", notificationsDb, kafka, group));
        await using var orders = await ordersStart;
        await using var inventory = await inventoryStart;
        await using var reviews = await reviewsStart;
        await using var notifications = await notificationsStart;
        const int user = 1;
        var product = (int)await Propagation.ScalarAsync(inventoryDb, "SELECT product_id FROM stock_items WHERE on_hand - reserved >= 5 ORDER BY product_id DESC LIMIT 1");
        var priceCents = await Propagation.ScalarAsync(ordersDb, $"SELECT (price * 100)::bigint FROM products WHERE id = {product}");
        var paymentsSettings = ServiceSettings.For("Payments", paymentsDb, kafka, group);
        // The test card's limit sits between one unit (paid) and three units (declined) of the product.
        paymentsSettings["Payments__TestCardLimit"] = (2m * priceCents / 100m + CheckoutServices.StandardShipping).ToString(CultureInfo.InvariantCulture);
        await using var payments = await SubgraphProcess.StartAsync("Payments", paymentsSettings);
        Assert.Equal(0, await Propagation.ScalarAsync(reviewsDb, $"SELECT count(*) FROM purchases WHERE user_id = {user} AND product_id = {product}"));
        var before = await ReviewAsync(reviews, user, product);
        var seededNotifications = await Propagation.ScalarAsync(notificationsDb, $"SELECT count(*) FROM notifications WHERE user_id = {user}");

        // act
        var paid = await PlaceAsync(orders, user, product, 1);
        var declined = await PlaceAsync(orders, user, product, 3);
        await Propagation.WaitForAsync(async () => await Propagation.ScalarAsync(ordersDb, $"SELECT count(*) FROM orders WHERE id IN ({paid}, {declined}) AND status <> 'Placed'") == 2, "the saga to settle both orders", orders, inventory, payments);
        await Propagation.WaitForAsync(async () => await Propagation.ScalarAsync(reviewsDb, $"SELECT count(*) FROM purchases WHERE user_id = {user} AND product_id = {product}") == 1, "reviews to record the purchase", orders, reviews);
        await Propagation.WaitForAsync(async () => await Propagation.ScalarAsync(notificationsDb, $"SELECT count(*) FROM notifications WHERE user_id = {user}") == seededNotifications + 4, "notifications to tell the buyer about both orders", orders, notifications);
        var after = await ReviewAsync(reviews, user, product);

        // assert
        Assert.Equal(["Confirmed", "Rejected"], [await TextAsync(ordersDb, $"SELECT status FROM orders WHERE id = {paid}"), await TextAsync(ordersDb, $"SELECT status FROM orders WHERE id = {declined}")]);
        Assert.Equal(["FORBIDDEN"], before["errors"]!.AsArray().Select(e => e!["code"]!.GetValue<string>()));
        Assert.Empty(after["errors"]!.AsArray());
        Assert.Equal(4, after["review"]!["rating"]!.GetValue<int>());
        Assert.Equal(1, await Propagation.ScalarAsync(reviewsDb, $"SELECT count(*) FROM reviews WHERE user_id = {user} AND product_id = {product}"));
        Assert.Equal(1, await Propagation.ScalarAsync(reviewsDb, "SELECT count(*) FROM inbox_messages WHERE type = 'OrderConfirmed'"));
        Assert.Equal(
            $"OrderPlaced #{paid}|OrderConfirmed #{paid}|OrderPlaced #{declined}|OrderRejected #{declined}",
            await TextAsync(notificationsDb, $"""
                SELECT string_agg(kind || ' #' || substring(message from '#([0-9]+)'), '|' ORDER BY substring(message from '#([0-9]+)')::int, id)
                FROM notifications WHERE user_id = {user} AND message LIKE ANY (ARRAY['%#{paid} %', '%#{declined} %'])
                """));
        Assert.Contains("declines", await TextAsync(notificationsDb, $"SELECT message FROM notifications WHERE kind = 'OrderRejected' AND message LIKE '%#{declined} %'"), StringComparison.Ordinal);
        Assert.Equal(4, await Propagation.ScalarAsync(notificationsDb, "SELECT count(*) FROM inbox_messages"));
    }

    private static async Task<string> TextAsync(string connectionString, string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        // The SQL is written in this file.
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<System.Text.Json.Nodes.JsonNode> ReviewAsync(SubgraphProcess reviews, int user, int product)
    {
        var input = new { productId = product.ToString(CultureInfo.InvariantCulture), rating = 4, body = "Bought it through the saga." };
        var response = await reviews.QueryAsync(TestCaller.Shopper(user), AddReview, new { input });
        return response["data"]!["addReview"]!;
    }

    private static async Task<int> PlaceAsync(SubgraphProcess orders, int user, int product, int quantity)
    {
        var input = CheckoutServices.Input(CheckoutServices.ApprovingCard, (product, quantity));
        var response = await orders.QueryAsync(
            TestCaller.Shopper(user),
            "mutation($input: PlaceOrderInput!, $key: String!) { placeOrder(input: $input, idempotencyKey: $key) { order { id } errors { code message } } }",
            new { input, key = Guid.NewGuid().ToString() });
        Assert.Empty(response["data"]!["placeOrder"]!["errors"]!.AsArray());
        return int.Parse(response["data"]!["placeOrder"]!["order"]!["id"]!.GetValue<string>(), CultureInfo.InvariantCulture);
    }
}
