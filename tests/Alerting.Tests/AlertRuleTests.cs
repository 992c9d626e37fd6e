using System.Globalization;
using Alerting.Tests.Events;
using Npgsql;

namespace Alerting.Tests;

/// <summary>Rules raising and resolving alerts from real events on the Kafka mock, evaluated by the running subgraph.</summary>
[Collection(AlertingCollection.Name)]
public sealed class AlertRuleTests(AlertingFixture fixture)
{
    [Fact]
    public async Task PaymentFailureRate_Should_RaiseOneAlertThenResolveIt_When_DeclinesExceedTheThresholdThenTheRateDrops()
    {
        // arrange: the default rule, 30% of at least 5 payments in 5 minutes; 3 of 5 declined is 60%.
        foreach (var (orderId, declined) in new[] { (1, false), (2, true), (3, false), (4, true), (5, true) })
            await ProducePaymentAsync(orderId, declined);

        // act
        var raised = await fixture.EventuallyAsync(async () => (await fixture.AlertsAsync("payment-failure-rate")).FirstOrDefault(), "a payment failure rate alert");
        await ProducePaymentAsync(6, true);
        foreach (var orderId in Enumerable.Range(7, 8))
            await ProducePaymentAsync(orderId, false);
        var resolved = await fixture.EventuallyAsync(
            async () => (await fixture.AlertsAsync("payment-failure-rate")).FirstOrDefault(a => a["status"]!.GetValue<string>() == "RESOLVED"),
            "the alert resolved once 4 of 14 payments (29%) declined");

        // assert
        Assert.Equal("OPEN", raised["status"]!.GetValue<string>());
        Assert.Equal(("CRITICAL", "payments", 0.6, 0.3), (raised["severity"]!.GetValue<string>(), raised["subject"]!.GetValue<string>(), raised["value"]!.GetValue<double>(), raised["threshold"]!.GetValue<double>()));
        Assert.Equal("Payment failure rate 60% over the last 5 minutes (threshold 30%)", raised["summary"]!.GetValue<string>());
        Assert.Equal(raised["id"]!.GetValue<string>(), resolved["id"]!.GetValue<string>());
        Assert.NotNull(resolved["resolvedAt"]);
        // The 6th payment kept the rate above 30%: it updated the open alert instead of raising another.
        Assert.Single(await fixture.AlertsAsync("payment-failure-rate"));
        var published = await PublishedAlerts.ReadAsync(fixture.BootstrapServers, raised["id"]!.GetValue<string>(), "AlertRaised", "AlertResolved");
        Assert.Equal(["AlertRaised", "AlertResolved"], published.Select(e => e.Type));
        Assert.All(published, PublishedAlerts.AssertMatchesContract);
        Assert.Equal("payment-failure-rate", published[0].Data.GetProperty("ruleId").GetString());
    }

    [Fact]
    public async Task DeadLetters_Should_RaiseACriticalAlert_When_AnythingArrivesOnADeadLetterTopic()
    {
        // arrange: not even an envelope, as a consumer dead-letters a message it cannot read.
        const string topic = "reviews.review.v1.dlq.catalog";

        // act
        await fixture.ProduceAsync(topic, "7", "not json at all"u8.ToArray());
        var alert = await fixture.EventuallyAsync(
            async () => (await fixture.AlertsAsync("dead-letters")).FirstOrDefault(a => a["subject"]!.GetValue<string>() == topic),
            "a dead-letter alert");

        // assert
        Assert.Equal(("OPEN", "CRITICAL", 1.0), (alert["status"]!.GetValue<string>(), alert["severity"]!.GetValue<string>(), alert["value"]!.GetValue<double>()));
        Assert.Equal($"Dead letters on {topic}: 1 over the last 15 minutes (threshold 0)", alert["summary"]!.GetValue<string>());
    }

    [Fact]
    public async Task RulesTable_Should_DecideWhatBreaches_When_ARuleRowIsChanged()
    {
        // arrange: 2 rejections in 5 minutes are 0.4/min, under the default 5/min.
        await ProduceRejectionAsync(1);
        await ProduceRejectionAsync(2);
        await fixture.EventuallyAsync(
            async () => await fixture.ScalarAsync("SELECT count(*) FROM samples WHERE signal = 'order.rejected'") == 2 ? "applied" : null,
            "both rejections applied");
        Assert.Empty(await fixture.AlertsAsync("orders-rejected-per-minute"));

        // act: rules are rows; lowering the threshold changes what the same window means.
        await using (var connection = new NpgsqlConnection(fixture.ConnectionString))
        {
            await connection.OpenAsync();
            await using var update = new NpgsqlCommand("UPDATE alert_rules SET threshold = 0.2, severity = 'Critical' WHERE id = 'orders-rejected-per-minute'", connection);
            Assert.Equal(1, await update.ExecuteNonQueryAsync());
        }

        var alert = await fixture.EventuallyAsync(async () => (await fixture.AlertsAsync("orders-rejected-per-minute")).FirstOrDefault(), "a rejected-orders alert");

        // assert
        Assert.Equal(("OPEN", "CRITICAL", 0.4, 0.2), (alert["status"]!.GetValue<string>(), alert["severity"]!.GetValue<string>(), alert["value"]!.GetValue<double>(), alert["threshold"]!.GetValue<double>()));
        Assert.Equal("Rejected orders 0.4/min over the last 5 minutes (threshold 0.2/min)", alert["summary"]!.GetValue<string>());
    }

    [Fact]
    public async Task LowStock_Should_RaiseForTheProductAndResolve_When_ItsStockFallsBelowTheThresholdThenIsRestocked()
    {
        // act
        await fixture.ProduceEventAsync("inventory.stock.v1", "4242", "StockChanged", new { productId = 4242, onHand = 3, reserved = 1, available = 2 });
        var raised = await fixture.EventuallyAsync(async () => (await fixture.AlertsAsync("low-stock")).FirstOrDefault(a => a["subject"]!.GetValue<string>() == "4242"), "a low-stock alert");
        await fixture.ProduceEventAsync("inventory.stock.v1", "4242", "StockChanged", new { productId = 4242, onHand = 50, reserved = 0, available = 50 });
        var resolved = await fixture.EventuallyAsync(
            async () => (await fixture.AlertsAsync("low-stock")).FirstOrDefault(a => a["subject"]!.GetValue<string>() == "4242" && a["status"]!.GetValue<string>() == "RESOLVED"),
            "the low-stock alert resolved");

        // assert
        Assert.Equal("Low stock for product 4242: 2 (threshold 5)", raised["summary"]!.GetValue<string>());
        Assert.Equal(raised["id"]!.GetValue<string>(), resolved["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task ConsumerLag_Should_RaiseForTheGroup_When_ItsCommittedOffsetsFallBehindTheHighWatermark()
    {
        // arrange: a group that read nothing of 8 messages (the fixture's threshold is 5), committed at the start.
        const string topic = "alerting-tests.lag";
        for (var i = 0; i < 8; i++)
            await fixture.ProduceAsync(topic, i.ToString(CultureInfo.InvariantCulture), "{}"u8.ToArray());
        using var consumer = new Confluent.Kafka.ConsumerBuilder<string, byte[]>(new Confluent.Kafka.ConsumerConfig
        {
            BootstrapServers = fixture.BootstrapServers,
            GroupId = AlertingFixture.LaggingGroup,
            EnableAutoCommit = false,
        }).Build();

        // act
        consumer.Commit(Enumerable.Range(0, 4).Select(p => new Confluent.Kafka.TopicPartitionOffset(topic, p, 0)));
        var alert = await fixture.EventuallyAsync(
            async () => (await fixture.AlertsAsync("consumer-lag")).FirstOrDefault(a => a["subject"]!.GetValue<string>() == AlertingFixture.LaggingGroup),
            "a consumer lag alert");

        // assert
        Assert.Equal(("OPEN", 8.0), (alert["status"]!.GetValue<string>(), alert["value"]!.GetValue<double>()));
        Assert.Equal($"Consumer lag of group {AlertingFixture.LaggingGroup}: 8 (threshold 5)", alert["summary"]!.GetValue<string>());
    }

    private Task ProducePaymentAsync(int orderId, bool declined) =>
        declined
            ? fixture.ProduceEventAsync("payments.payment.v1", orderId.ToString(CultureInfo.InvariantCulture), "PaymentFailed", new { orderId, paymentId = orderId, amount = 7_500m, reason = "The test card declines charges above $5,000.00." })
            : fixture.ProduceEventAsync("payments.payment.v1", orderId.ToString(CultureInfo.InvariantCulture), "PaymentSucceeded", new { orderId, paymentId = orderId, amount = 50m });

    private Task ProduceRejectionAsync(int orderId) =>
        fixture.ProduceEventAsync("orders.order.v1", orderId.ToString(CultureInfo.InvariantCulture), "OrderRejected",
            new { orderId, userId = 3, total = 7_500m, rejectedAt = DateTimeOffset.UtcNow, reason = "declined" });
}
