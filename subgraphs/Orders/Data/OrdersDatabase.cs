namespace Orders.Data;

public static class OrdersDatabase
{
    public const string SubgraphName = "orders";
    public const string ConnectionName = "Orders";
}
