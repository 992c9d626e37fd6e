using System.Text.Json.Nodes;

namespace Catalog.Tests;

[Collection(CatalogCollection.Name)]
public sealed class EntityTests(CatalogFixture fixture)
{
    private const string EntitiesQuery = """
        query Entities($representations: [_Any!]!) {
          _entities(representations: $representations) {
            __typename
            ... on Product { id name price category { id name } }
            ... on Category { id slug }
          }
        }
        """;

    [Fact]
    public async Task Entities_Should_ResolveProductsAndCategories_When_RepresentationsMixTypes()
    {
        // arrange
        object[] representations =
        [
            new { __typename = "Product", id = "7" },
            new { __typename = "Category", id = "3" },
            new { __typename = "Product", id = "999999" },
            new { __typename = "Product", id = "1" },
        ];

        // act
        var data = await fixture.DataAsync(EntitiesQuery, new { representations });

        // assert
        data.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }).MatchSnapshot();
    }

    [Fact]
    public async Task Entities_Should_ReadProductsInOneStatement_When_FiftyRepresentations()
    {
        // arrange
        var representations = Enumerable.Range(100, 50).Select(id => new { __typename = "Product", id = id.ToString() }).ToArray();
        var capture = await fixture.Catalog.CaptureSqlAsync();

        // act
        var data = await fixture.DataAsync(EntitiesQuery, new { representations });

        // assert
        var entities = data["_entities"]!.AsArray();
        Assert.Equal(Enumerable.Range(100, 50).Select(id => id.ToString()), entities.Select(e => e!["id"]!.GetValue<string>()));
        var statements = await capture.StatementsAsync();
        Assert.Single(statements, sql => sql.Contains("FROM products", StringComparison.Ordinal));
        Assert.Single(statements, sql => sql.Contains("FROM categories", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Entities_Should_ReturnError_When_TypenameUnknown()
    {
        // act
        var response = await fixture.Catalog.QueryAsync(EntitiesQuery, new { representations = new object[] { new { __typename = "Nope", id = "1" } } });

        // assert
        Assert.NotNull(response["errors"]);
        Assert.IsType<JsonArray>(response["errors"]);
    }
}
