using Federation.Testing.Subgraphs;

namespace Orders.Tests;

/// <summary>The orders subgraph as a process on its own PostgreSQL database, shared by the orders tests.</summary>
public sealed class OrdersFixture() : SubgraphFixture("Orders")
{
    public SubgraphProcess Orders => Subgraph;
}

[CollectionDefinition(Name)]
public sealed class OrdersCollection : ICollectionFixture<OrdersFixture>
{
    public const string Name = "orders";
}
