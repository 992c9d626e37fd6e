namespace Notifications.Data;

public static class NotificationsDatabase
{
    public const string SubgraphName = "notifications";
    public const string ConnectionName = "Notifications";
}
