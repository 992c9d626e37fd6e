namespace Inventory.Data;

/// <summary>Units held for an order until payment commits or releases them (the rest of the checkout saga).</summary>
public sealed class Reservation
{
    public int OrderId { get; set; }
    public int ProductId { get; set; }
    public int Quantity { get; set; }
    public DateTimeOffset ReservedAt { get; set; }
}
