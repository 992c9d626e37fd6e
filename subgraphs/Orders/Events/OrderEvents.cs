using Federation.Subgraph.Messaging.Events;
using Orders.Domain;

namespace Orders.Events;

public static class OrdersTopics
{
    /// <summary>Order lifecycle, keyed by order id; the checkout saga starts here.</summary>
    public const string Order = "orders.order.v1";
}

/// <summary>
/// An order was accepted and awaits stock and payment; carries the lines inventory reserves, the total payments charges
/// and the card it charges (brand and last four only: the full number never leaves placeOrder).
/// </summary>
public sealed record OrderPlaced(
    int OrderId, int UserId, decimal Total, DateTimeOffset PlacedAt, IReadOnlyList<OrderPlacedLine> Lines,
    decimal Subtotal, decimal ShippingCost, decimal Tax, string ShippingMethod, string ShipToCountry, OrderPlacedCard Card) : IIntegrationEvent
{
    public static string EventType => nameof(OrderPlaced);
    public static int SchemaVersion => 1;

    public static OrderPlaced From(Order order) =>
        new(order.Id, order.UserId, order.Total, order.PlacedAt, order.Lines.Select(l => new OrderPlacedLine(l.ProductId, l.Quantity, l.UnitPrice)).ToList(),
            order.Subtotal, order.ShippingCost, order.Tax, order.ShippingMethod!.Value.ToString(), order.ShippingAddress!.Country,
            new OrderPlacedCard(order.CardBrand!, order.CardLast4!));
}

public sealed record OrderPlacedCard(string Brand, string Last4);

public sealed record OrderPlacedLine(int ProductId, int Quantity, decimal UnitPrice);

/// <summary>The saga ended with stock held and payment taken; reviews learns who bought what from the product ids.</summary>
public sealed record OrderConfirmed(int OrderId, int UserId, decimal Total, DateTimeOffset ConfirmedAt, IReadOnlyList<int> ProductIds) : IIntegrationEvent
{
    public static string EventType => nameof(OrderConfirmed);
    public static int SchemaVersion => 1;

    public static OrderConfirmed From(Order order, DateTimeOffset confirmedAt) =>
        new(order.Id, order.UserId, order.Total, confirmedAt, order.Lines.Select(l => l.ProductId).Distinct().Order().ToList());
}

/// <summary>The saga ended without a sale: stock could not be held or payment was declined.</summary>
public sealed record OrderRejected(int OrderId, int UserId, decimal Total, DateTimeOffset RejectedAt, string Reason) : IIntegrationEvent
{
    public static string EventType => nameof(OrderRejected);
    public static int SchemaVersion => 1;

    public static OrderRejected From(Order order, DateTimeOffset rejectedAt, string reason) => new(order.Id, order.UserId, order.Total, rejectedAt, reason);
}
