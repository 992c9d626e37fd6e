using Federation.Testing.Subgraphs;

namespace Inventory.Tests;

/// <summary>The inventory subgraph as a process on its own PostgreSQL database, shared by the inventory tests.</summary>
public sealed class InventoryFixture() : SubgraphFixture("Inventory")
{
    public SubgraphProcess Inventory => Subgraph;
}

[CollectionDefinition(Name)]
public sealed class InventoryCollection : ICollectionFixture<InventoryFixture>
{
    public const string Name = "inventory";
}
