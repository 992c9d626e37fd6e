using Federation.Testing.Subgraphs;

namespace Catalog.Tests;

/// <summary>The catalog subgraph as a process on its own PostgreSQL database, publishing to the Kafka mock, shared by the catalog tests.</summary>
public sealed class CatalogFixture() : SubgraphFixture("Catalog", kafka: true)
{
    public SubgraphProcess Catalog => Subgraph;
}

[CollectionDefinition(Name)]
public sealed class CatalogCollection : ICollectionFixture<CatalogFixture>
{
    public const string Name = "catalog";
}
