using System.Text.Json;

namespace Inventory.Tests;

[Collection(InventoryCollection.Name)]
public sealed class EntityTests(InventoryFixture fixture)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private const string EntitiesQuery = """
        query Entities($representations: [_Any!]!) {
          _entities(representations: $representations) { __typename ... on Product { id stock { product { id } onHand reserved available updatedAt } } }
        }
        """;

    [Fact]
    public async Task Service_Should_AnswerSdlWithKey_When_Queried()
    {
        // act
        var data = await fixture.DataAsync("{ _service { sdl } }");

        // assert
        Assert.Contains("type Product @key(fields: \"id\")", data["_service"]!["sdl"]!.GetValue<string>());
    }

    [Fact]
    public async Task Entities_Should_ReturnSeededStock_When_ProductsSoldOutLowAndUntracked()
    {
        // arrange
        object[] representations =
        [
            new { __typename = "Product", id = "25" },
            new { __typename = "Product", id = "30" },
            new { __typename = "Product", id = "1" },
            new { __typename = "Product", id = "424242" },
        ];

        // act
        var data = await fixture.DataAsync(EntitiesQuery, new { representations });

        // assert
        data.ToJsonString(Indented).MatchSnapshot();
    }

    [Fact]
    public async Task Entities_Should_ReadStockInOneStatement_When_FiftyRepresentations()
    {
        // arrange
        var representations = Enumerable.Range(101, 50).Select(id => new { __typename = "Product", id = id.ToString() }).ToArray();
        var capture = await fixture.Inventory.CaptureSqlAsync();

        // act
        var data = await fixture.DataAsync(EntitiesQuery, new { representations });

        // assert
        var products = data["_entities"]!.AsArray();
        Assert.Equal(Enumerable.Range(101, 50).Select(id => id.ToString()), products.Select(p => p!["stock"]!["product"]!["id"]!.GetValue<string>()));
        Assert.All(products, p => Assert.Equal(
            p!["stock"]!["onHand"]!.GetValue<int>() - p["stock"]!["reserved"]!.GetValue<int>(),
            p["stock"]!["available"]!.GetValue<int>()));
        var statements = await capture.StatementsAsync();
        var statement = Assert.Single(statements);
        Assert.Contains("FROM stock_items", statement, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Entities_Should_ResolveFromRepresentationWithoutSql_When_StockNotSelected()
    {
        // arrange
        var representations = Enumerable.Range(1, 50).Select(id => new { __typename = "Product", id = id.ToString() }).ToArray();
        var capture = await fixture.Inventory.CaptureSqlAsync();

        // act
        var data = await fixture.DataAsync("query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { id } } }", new { r = representations });

        // assert
        Assert.Equal(50, data["_entities"]!.AsArray().Count);
        var statements = await capture.StatementsAsync();
        Assert.Empty(statements);
    }
}
