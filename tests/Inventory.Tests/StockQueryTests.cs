namespace Inventory.Tests;

/// <summary>Mutation tests only touch products above 450, so these assert on the seeded stock of products 1..400.</summary>
[Collection(InventoryCollection.Name)]
public sealed class StockQueryTests(InventoryFixture fixture)
{
    private const string LowStock = """
        query Low($threshold: Int, $minAvailable: Int, $first: Int, $after: String) {
          lowStock(threshold: $threshold, minAvailable: $minAvailable, first: $first, after: $after) {
            totalCount
            edges { node { product { id } onHand reserved available } }
            pageInfo { hasNextPage hasPreviousPage endCursor }
          }
        }
        """;

    [Fact]
    public async Task LowStock_Should_ListSoldOutProducts_When_ThresholdZero()
    {
        // act
        var ids = await WalkAsync(threshold: 0, pageSize: 100);

        // assert
        Assert.Equal(Enumerable.Range(1, 16).Select(i => i * 25), ids.Where(id => id <= 400));
    }

    [Fact]
    public async Task LowStock_Should_WalkEveryLowProductOnceInIdOrder_When_PagedWithCursors()
    {
        // act
        var ids = await WalkAsync(threshold: 4, pageSize: 7);

        // assert
        Assert.Equal(Enumerable.Range(1, 400).Where(id => id % 10 == 0 || id % 25 == 0), ids.Where(id => id <= 400));
        Assert.Equal(ids.Order(), ids);
        Assert.Equal(ids.Distinct(), ids);
    }

    [Fact]
    public async Task LowStock_Should_LeaveOutSoldOutProducts_When_MinAvailableOne()
    {
        // act
        var ids = await WalkAsync(threshold: 4, pageSize: 30, minAvailable: 1);

        // assert: the low list and the sold-out list (threshold 0) never share a product
        Assert.Equal(Enumerable.Range(1, 400).Where(id => id % 10 == 0 && id % 25 != 0), ids.Where(id => id <= 400));
        Assert.Empty(ids.Intersect(await WalkAsync(threshold: 0, pageSize: 100)));
    }

    [Fact]
    public async Task Stock_Should_ReturnNull_When_ProductUntracked()
    {
        // act
        var data = await fixture.DataAsync("""{ known: stock(productId: "2") { available } unknown: stock(productId: "90000") { available } }""");

        // assert
        Assert.True(data["known"]!["available"]!.GetValue<int>() >= 15);
        Assert.Null(data["unknown"]);
    }

    [Theory]
    [InlineData("""{ lowStock(threshold: -1) { totalCount } }""", "BAD_USER_INPUT")]
    [InlineData("""{ lowStock(minAvailable: -1) { totalCount } }""", "BAD_USER_INPUT")]
    [InlineData("""{ lowStock(after: "####") { totalCount } }""", "BAD_CURSOR")]
    [InlineData("""{ lowStock(first: -5) { totalCount } }""", "BAD_USER_INPUT")]
    [InlineData("""{ stock(productId: "-3") { onHand } }""", "BAD_USER_INPUT")]
    public async Task Query_Should_ReturnClearError_When_ArgumentsInvalid(string query, string code)
    {
        // act
        var response = await fixture.Inventory.QueryAsync(query);

        // assert
        var error = Assert.Single(response["errors"]!.AsArray());
        Assert.Equal(code, error!["extensions"]!["code"]!.GetValue<string>());
    }

    private async Task<List<int>> WalkAsync(int threshold, int pageSize, int minAvailable = 0)
    {
        var ids = new List<int>();
        string? after = null;
        int? totalCount = null;
        while (true)
        {
            var data = await fixture.DataAsync(LowStock, new { threshold, minAvailable, first = pageSize, after });
            var page = data["lowStock"]!;
            totalCount ??= page["totalCount"]!.GetValue<int>();
            Assert.Equal(after is not null, page["pageInfo"]!["hasPreviousPage"]!.GetValue<bool>());
            foreach (var edge in page["edges"]!.AsArray())
            {
                Assert.InRange(edge!["node"]!["available"]!.GetValue<int>(), minAvailable, threshold);
                ids.Add(int.Parse(edge["node"]!["product"]!["id"]!.GetValue<string>()));
            }
            if (!page["pageInfo"]!["hasNextPage"]!.GetValue<bool>())
                break;
            after = page["pageInfo"]!["endCursor"]!.GetValue<string>();
        }
        Assert.Equal(totalCount, ids.Count);
        return ids;
    }
}
