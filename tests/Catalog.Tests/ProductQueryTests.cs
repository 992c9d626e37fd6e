using System.Text.Json.Nodes;

namespace Catalog.Tests;

[Collection(CatalogCollection.Name)]
public sealed class ProductQueryTests(CatalogFixture fixture)
{
    [Fact]
    public async Task Products_Should_ReturnSeededFirstPage_When_FirstIsFive()
    {
        // act
        var data = await fixture.DataAsync("""
            { products(first: 5) { edges { cursor node { id name price category { id name } createdAt } } pageInfo { hasNextPage hasPreviousPage } } }
            """);

        // assert
        data.ToJsonString(Indented).MatchSnapshot();
    }

    [Fact]
    public async Task Products_Should_VisitEverySeededProductOnce_When_PagingByPriceDescending()
    {
        // arrange
        const string query = """
            query Page($after: String) {
              products(first: 100, after: $after, orderBy: { field: PRICE, direction: DESC }) {
                edges { node { id price } }
                pageInfo { hasNextPage endCursor }
              }
            }
            """;
        var seen = new List<(int Id, double Price)>();
        string? after = null;

        // act
        var capture = await fixture.Catalog.CaptureSqlAsync();
        do
        {
            var page = (await fixture.DataAsync(query, new { after }))["products"]!;
            seen.AddRange(page["edges"]!.AsArray().Select(e => (int.Parse(e!["node"]!["id"]!.GetValue<string>()), e["node"]!["price"]!.GetValue<double>())));
            after = page["pageInfo"]!["hasNextPage"]!.GetValue<bool>() ? page["pageInfo"]!["endCursor"]!.GetValue<string>() : null;
        }
        while (after is not null);

        // assert
        Assert.Equal(seen.Count, seen.Select(p => p.Id).Distinct().Count());
        Assert.Superset(Enumerable.Range(1, 500).ToHashSet(), seen.Select(p => p.Id).ToHashSet());
        var expectedOrder = seen.OrderByDescending(p => p.Price).ThenByDescending(p => p.Id).ToList();
        Assert.Equal(expectedOrder, seen);
        var pageQueries = (await capture.StatementsAsync()).Where(sql => sql.Contains("FROM products", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(pageQueries);
        Assert.All(pageQueries, sql => Assert.DoesNotContain("OFFSET", sql));
        Assert.Contains(pageQueries, sql => sql.Contains("(p.price, p.id) < (", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Products_Should_ReadOnlyRequestedColumns_When_SelectingIdAndName()
    {
        // arrange
        var capture = await fixture.Catalog.CaptureSqlAsync();

        // act
        await fixture.DataAsync("{ products(first: 3) { edges { node { id name } } } }");

        // assert
        var sql = Assert.Single(await capture.StatementsAsync(), s => s.Contains("FROM products", StringComparison.Ordinal));
        Assert.Contains("p.name", sql);
        Assert.DoesNotContain("description", sql);
        Assert.DoesNotContain("price", sql);
    }

    [Fact]
    public async Task Products_Should_ApplyEveryFilter_When_CategoryPriceAndSearchGiven()
    {
        // act
        var data = await fixture.DataAsync("""
            { products(first: 50, filter: { categoryId: "4", maxPrice: 500, search: "WALNUT" }) {
                totalCount edges { node { id name price category { id } } } } }
            """);

        // assert
        var nodes = data["products"]!["edges"]!.AsArray().Select(e => e!["node"]!).ToList();
        Assert.NotEmpty(nodes);
        Assert.Equal(nodes.Count, data["products"]!["totalCount"]!.GetValue<int>());
        Assert.All(nodes, n =>
        {
            Assert.Equal("4", n["category"]!["id"]!.GetValue<string>());
            Assert.True(n["price"]!.GetValue<double>() <= 500);
            Assert.Contains("walnut", n["name"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        });
    }

    [Fact]
    public async Task Products_Should_TreatLikeWildcardsLiterally_When_SearchHasPercent()
    {
        // act
        var data = await fixture.DataAsync("""{ products(filter: { search: "%" }) { totalCount } }""");

        // assert
        Assert.Equal(0, data["products"]!["totalCount"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("""{ products(after: "not-a-cursor") { totalCount } }""", "BAD_CURSOR")]
    [InlineData("""{ products(first: 101) { totalCount } }""", "BAD_USER_INPUT")]
    [InlineData("""{ products(first: -1) { totalCount } }""", "BAD_USER_INPUT")]
    [InlineData("""{ product(id: "abc") { id } }""", "BAD_USER_INPUT")]
    public async Task Query_Should_ReturnCodedError_When_ArgumentInvalid(string query, string code)
    {
        // act
        var response = await fixture.Catalog.QueryAsync(query);

        // assert
        var error = Assert.Single(response["errors"]!.AsArray());
        Assert.Equal(code, error!["extensions"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Product_Should_ReturnNull_When_IdUnknown()
    {
        // act
        var data = await fixture.DataAsync("""{ product(id: "987654") { id } }""");

        // assert
        Assert.Null(data["product"]);
    }

    [Fact]
    public async Task Categories_Should_ListSeededCategories_When_Queried()
    {
        // act
        var data = await fixture.DataAsync("{ categories { id name slug } }");

        // assert
        data.ToJsonString(Indented).MatchSnapshot();
    }

    private static readonly System.Text.Json.JsonSerializerOptions Indented = new() { WriteIndented = true };
}
