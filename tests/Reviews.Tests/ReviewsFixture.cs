using Federation.Testing.Subgraphs;

namespace Reviews.Tests;

/// <summary>The reviews subgraph as a process on its own PostgreSQL database, shared by the reviews tests.</summary>
public sealed class ReviewsFixture() : SubgraphFixture("Reviews")
{
    public SubgraphProcess Reviews => Subgraph;
}

[CollectionDefinition(Name)]
public sealed class ReviewsCollection : ICollectionFixture<ReviewsFixture>
{
    public const string Name = "reviews";
}
