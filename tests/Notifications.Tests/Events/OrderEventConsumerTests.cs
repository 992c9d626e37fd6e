using System.Text.Json;
using Federation.Subgraph.Messaging.Events;
using Federation.Testing;
using Notifications.Events;

namespace Notifications.Tests.Events;

/// <summary>Notifications keeps its own minimal records of orders' events; these read the publisher's committed samples into them.</summary>
public sealed class OrderEventConsumerTests
{
    [Fact]
    public void OrderPlaced_Should_ReadIntoNotificationsRecord_When_OrdersSampleIsRead()
    {
        // arrange
        var sample = Sample("OrderPlaced");

        // act
        var data = sample.Deserialize<OrderPlaced>(EventJson.Options)!;

        // assert
        Assert.Equal((sample.GetProperty("orderId").GetInt32(), sample.GetProperty("userId").GetInt32(), sample.GetProperty("total").GetDecimal()), (data.OrderId, data.UserId, data.Total));
    }

    [Fact]
    public void OrderConfirmed_Should_ReadIntoNotificationsRecord_When_OrdersSampleIsRead()
    {
        // arrange
        var sample = Sample("OrderConfirmed");

        // act
        var data = sample.Deserialize<OrderConfirmed>(EventJson.Options)!;

        // assert
        Assert.Equal((sample.GetProperty("orderId").GetInt32(), sample.GetProperty("userId").GetInt32(), sample.GetProperty("total").GetDecimal()), (data.OrderId, data.UserId, data.Total));
    }

    [Fact]
    public void OrderRejected_Should_ReadIntoNotificationsRecord_When_OrdersSampleIsRead()
    {
        // arrange
        var sample = Sample("OrderRejected");

        // act
        var data = sample.Deserialize<OrderRejected>(EventJson.Options)!;

        // assert
        Assert.Equal((sample.GetProperty("orderId").GetInt32(), sample.GetProperty("userId").GetInt32(), sample.GetProperty("reason").GetString()), (data.OrderId, data.UserId, data.Reason));
        Assert.False(string.IsNullOrWhiteSpace(data.Reason));
    }

    private static JsonElement Sample(string eventType) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "schema", "events", ConsumedTopics.OrdersOrder, $"{eventType}.v1.json"))).RootElement.GetProperty("examples")[0].Clone();
}
