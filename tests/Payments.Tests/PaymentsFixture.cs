using Federation.Testing.Subgraphs;

namespace Payments.Tests;

/// <summary>The payments subgraph as a process on its own PostgreSQL database, shared by the payments tests.</summary>
public sealed class PaymentsFixture() : SubgraphFixture("Payments")
{
    public SubgraphProcess Payments => Subgraph;
}

[CollectionDefinition(Name)]
public sealed class PaymentsCollection : ICollectionFixture<PaymentsFixture>
{
    public const string Name = "payments";
}
