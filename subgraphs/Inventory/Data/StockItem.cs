namespace Inventory.Data;

/// <summary>The stock of one catalog product; reserved units are held for placed orders not yet shipped.</summary>
public sealed class StockItem
{
    public const int MaxOnHand = 1_000_000;

    public int ProductId { get; set; }
    public int OnHand { get; set; }
    public int Reserved { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public int Available => OnHand - Reserved;
}
