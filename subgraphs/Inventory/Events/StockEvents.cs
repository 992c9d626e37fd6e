using Federation.Subgraph.Messaging.Events;
using Inventory.Data;

namespace Inventory.Events;

public static class InventoryTopics
{
    /// <summary>Stock levels, keyed by product id.</summary>
    public const string Stock = "inventory.stock.v1";
}

/// <summary>
/// A product's stock after a change, as absolute numbers: a consumer keeps the latest, and per-key order
/// holds because changes to one product serialize on its stock row.
/// </summary>
public sealed record StockChanged(int ProductId, int OnHand, int Reserved, int Available) : IIntegrationEvent
{
    public static string EventType => nameof(StockChanged);
    public static int SchemaVersion => 1;

    public static StockChanged From(StockItem item) => new(item.ProductId, item.OnHand, item.Reserved, item.Available);
}
