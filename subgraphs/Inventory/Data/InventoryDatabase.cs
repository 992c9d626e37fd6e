namespace Inventory.Data;

public static class InventoryDatabase
{
    public const string SubgraphName = "inventory";
    public const string ConnectionName = "Inventory";
}
