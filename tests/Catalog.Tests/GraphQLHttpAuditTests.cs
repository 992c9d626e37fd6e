using Federation.Testing.Audits;

namespace Catalog.Tests;

/// <summary>The public GraphQL-over-HTTP audit (graphql-http's auditServer) against the catalog process; every subgraph serves HTTP through the same kit.</summary>
[Collection(CatalogCollection.Name)]
public sealed class GraphQLHttpAuditTests(CatalogFixture fixture)
{
    [Fact]
    public async Task Catalog_Should_PassEveryGraphQLHttpAuditCheck_When_Audited()
    {
        // act
        var checks = await GraphQLHttpAudit.RunAsync(new Uri(fixture.Catalog.Http.BaseAddress!, "graphql").ToString());

        // assert
        Assert.Equal(61, checks.Count);
        Assert.Empty(checks.Where(c => c.Status != "ok").Select(c => c.ToString()));
    }
}
