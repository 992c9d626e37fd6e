using Federation.Testing.Subgraphs;

namespace Accounts.Tests;

/// <summary>The accounts subgraph as a process on its own PostgreSQL database, shared by the accounts tests.</summary>
public sealed class AccountsFixture() : SubgraphFixture("Accounts")
{
    public const string SigningKey = "accounts-tests-signing-key-0123456789-abcdefghij";

    public SubgraphProcess Accounts => Subgraph;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Jwt__SigningKey", SigningKey)];
}

[CollectionDefinition(Name)]
public sealed class AccountsCollection : ICollectionFixture<AccountsFixture>
{
    public const string Name = "accounts";
}
