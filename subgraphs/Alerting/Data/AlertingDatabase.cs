namespace Alerting.Data;

public static class AlertingDatabase
{
    public const string SubgraphName = "alerting";
    public const string ConnectionName = "Alerting";
}
