using Federation.Gateway.Schema;
using Federation.Gateway.Subscriptions;
using Federation.Gateway.Tests.Fixtures;

namespace Federation.Gateway.Tests.Subscriptions;

/// <summary>The <c>@kafkaSubscribe</c> declarations as the gateway reads them from a supergraph, and the resume cursor's text.</summary>
public sealed class EventStreamFieldsTests
{
    [Fact]
    public void Read_Should_FindEveryDeclaredField_When_TheCommittedSupergraphIsLoaded()
    {
        // arrange
        var supergraph = Supergraph.Parse(File.ReadAllText(Path.Combine(Repository.Root, "schema", "supergraph.graphql")));

        // act
        var fields = EventStreamFields.Read(supergraph);

        // assert
        Assert.Empty(fields.Invalid);
        Assert.Equal(["alerting.alert.v1", "inventory.stock.v1", "notifications.notification.v1", "orders.order.v1"], fields.Topics);
        var order = fields.ByField["orderUpdated"];
        Assert.Equal(("Order", "id", "orderId", "userId", true), (order.TypeName, order.KeyField, order.KeyProperty, order.Owner, order.Current));
        Assert.Equal(["OrderConfirmed", "OrderPlaced", "OrderRejected"], order.Events.Order(StringComparer.Ordinal));
        Assert.Equal("orderId", order.Filters["id"]);
        Assert.Equal("id", order.KeyArgument);
        Assert.Null(fields.ByField["stockChanged"].Owner);
        Assert.Null(fields.ByField["notificationAdded"].KeyArgument);
        var alert = fields.ByField["alertUpdated"];
        Assert.Equal(("Alert", "id", "alertId", (string?)null, false), (alert.TypeName, alert.KeyField, alert.KeyProperty, alert.Owner, alert.Current));
        Assert.Equal(["AlertAcknowledged", "AlertRaised", "AlertResolved"], alert.Events.Order(StringComparer.Ordinal));
        Assert.Equal(["AlertRaised"], fields.ByField["alertRaised"].Events);
    }

    [Fact]
    public void Read_Should_ReportTheField_When_AFilterNamesNoArgument()
    {
        // arrange
        var sdl = File.ReadAllText(Path.Combine(Repository.Root, "schema", "supergraph.graphql"))
            .Replace("filter: [\"productId=productId\"]", "filter: [\"sku=productId\"]", StringComparison.Ordinal);

        // act
        var fields = EventStreamFields.Read(Supergraph.Parse(sdl));

        // assert
        Assert.False(fields.ByField.ContainsKey("stockChanged"));
        Assert.Contains("\"sku=productId\"", fields.Invalid["stockChanged"], StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_Should_ReturnTheEncodedPositions_When_GivenAnEncodedCursor()
    {
        // arrange
        var cursor = new EventCursor("orders.order.v1", new Dictionary<int, long> { [3] = 17, [0] = 5 });

        // act
        var decoded = EventCursor.Decode(cursor.Encode());

        // assert
        Assert.NotNull(decoded);
        Assert.Equal("orders.order.v1", decoded.Topic);
        Assert.Equal([(0, 5L), (3, 17L)], decoded.Next.OrderBy(p => p.Key).Select(p => (p.Key, p.Value)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64 at all!")]
    [InlineData("b3JkZXJzLm9yZGVyLnYx")]
    [InlineData("b3JkZXJzO3g6MQ")]
    [InlineData("b3JkZXJzOzA6MSwwOjI")]
    public void Decode_Should_ReturnNull_When_TheTextIsNoCursor(string text)
    {
        // act
        var decoded = EventCursor.Decode(text);

        // assert
        Assert.Null(decoded);
    }
}
