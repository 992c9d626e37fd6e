namespace Accounts.Data;

public static class AccountsDatabase
{
    public const string SubgraphName = "accounts";
    public const string ConnectionName = "Accounts";
}
