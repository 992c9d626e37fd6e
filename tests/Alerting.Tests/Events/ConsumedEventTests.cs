using System.Text.Json;
using Alerting.Events;
using Federation.Subgraph.Messaging.Events;
using Federation.Testing;

namespace Alerting.Tests.Events;

/// <summary>Alerting keeps its own minimal records of payments', orders' and inventory's events; these read the publishers' committed samples into them.</summary>
public sealed class ConsumedEventTests
{
    [Fact]
    public void PaymentFailed_Should_ReadIntoAlertingRecord_When_PaymentsSampleIsRead()
    {
        // arrange
        var sample = Sample(ConsumedTopics.PaymentsPayment, "PaymentFailed");

        // act
        var data = sample.Deserialize<PaymentFailed>(EventJson.Options)!;

        // assert
        Assert.Equal((sample.GetProperty("orderId").GetInt32(), sample.GetProperty("reason").GetString()), (data.OrderId, data.Reason));
    }

    [Fact]
    public void PaymentSucceeded_Should_ReadIntoAlertingRecord_When_PaymentsSampleIsRead()
    {
        // arrange
        var sample = Sample(ConsumedTopics.PaymentsPayment, "PaymentSucceeded");

        // act
        var data = sample.Deserialize<PaymentSucceeded>(EventJson.Options)!;

        // assert
        Assert.Equal(sample.GetProperty("orderId").GetInt32(), data.OrderId);
    }

    [Fact]
    public void OrderRejected_Should_ReadIntoAlertingRecord_When_OrdersSampleIsRead()
    {
        // arrange
        var sample = Sample(ConsumedTopics.OrdersOrder, "OrderRejected");

        // act
        var data = sample.Deserialize<OrderRejected>(EventJson.Options)!;

        // assert
        Assert.Equal((sample.GetProperty("orderId").GetInt32(), sample.GetProperty("reason").GetString()), (data.OrderId, data.Reason));
    }

    [Fact]
    public void StockChanged_Should_ReadIntoAlertingRecord_When_InventorySampleIsRead()
    {
        // arrange
        var sample = Sample(ConsumedTopics.InventoryStock, "StockChanged");

        // act
        var data = sample.Deserialize<StockChanged>(EventJson.Options)!;

        // assert
        Assert.Equal((sample.GetProperty("productId").GetInt32(), sample.GetProperty("available").GetInt32()), (data.ProductId, data.Available));
    }

    private static JsonElement Sample(string topic, string eventType) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "schema", "events", topic, $"{eventType}.v1.json"))).RootElement.GetProperty("examples")[0].Clone();
}
