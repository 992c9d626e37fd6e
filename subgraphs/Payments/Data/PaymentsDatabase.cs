namespace Payments.Data;

public static class PaymentsDatabase
{
    public const string SubgraphName = "payments";
    public const string ConnectionName = "Payments";
}
