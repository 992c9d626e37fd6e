using System.Text.Json;
using Federation.Testing.Security;

namespace Inventory.Tests;

/// <summary>Each test adjusts its own product above 450, so the stock it reads back is its own.</summary>
[Collection(InventoryCollection.Name)]
public sealed class AdjustStockTests(InventoryFixture fixture)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private const string Adjust = """
        mutation Adjust($productId: ID!, $delta: Int!) {
          adjustStock(productId: $productId, delta: $delta) { stock { product { id } onHand reserved available updatedAt } errors { code message field } }
        }
        """;

    [Fact]
    public async Task AdjustStock_Should_AddAndRemoveUnits_When_DeltaFits()
    {
        // arrange
        var before = await StockAsync(451);

        // act
        var added = await fixture.Inventory.DataAsync(TestCaller.Admin, Adjust, new { productId = "451", delta = 12 });
        var removed = await fixture.Inventory.DataAsync(TestCaller.Admin, Adjust, new { productId = "451", delta = -5 });

        // assert
        Assert.Empty(added["adjustStock"]!["errors"]!.AsArray());
        Assert.Equal(before.OnHand + 12, added["adjustStock"]!["stock"]!["onHand"]!.GetValue<int>());
        Assert.Equal(before.OnHand + 7, removed["adjustStock"]!["stock"]!["onHand"]!.GetValue<int>());
        Assert.Equal(before.OnHand + 7 - before.Reserved, removed["adjustStock"]!["stock"]!["available"]!.GetValue<int>());
        Assert.True(removed["adjustStock"]!["stock"]!["updatedAt"]!.GetValue<DateTime>() > DateTime.UtcNow.AddMinutes(-5));
        Assert.Equal(before.OnHand + 7, (await StockAsync(451)).OnHand);
    }

    [Fact]
    public async Task AdjustStock_Should_ReturnInsufficientStockAndChangeNothing_When_RemovingReservedUnits()
    {
        // arrange
        var before = await StockAsync(452);

        // act
        var data = await fixture.Inventory.DataAsync(TestCaller.Admin, Adjust, new { productId = "452", delta = -(before.OnHand - before.Reserved + 1) });

        // assert
        Assert.Null(data["adjustStock"]!["stock"]);
        var error = Assert.Single(data["adjustStock"]!["errors"]!.AsArray());
        Assert.Equal("INSUFFICIENT_STOCK", error!["code"]!.GetValue<string>());
        Assert.Equal(["delta"], error["field"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Equal(before, await StockAsync(452));
    }

    [Fact]
    public async Task AdjustStock_Should_ReturnEveryValidationError_When_ArgumentsInvalid()
    {
        // act
        var data = await fixture.Inventory.DataAsync(TestCaller.Admin, Adjust, new { productId = "abc", delta = 0 });

        // assert
        data.ToJsonString(Indented).MatchSnapshot();
    }

    [Theory]
    [InlineData("99999", 5, "NOT_FOUND", "productId")]
    [InlineData("453", 1_000_000, "VALIDATION", "delta")]
    [InlineData("453", int.MinValue, "VALIDATION", "delta")]
    public async Task AdjustStock_Should_ReturnTypedErrorAndChangeNothing_When_AdjustmentImpossible(string productId, int delta, string code, string field)
    {
        // arrange
        var before = await StockAsync(453);

        // act
        var data = await fixture.Inventory.DataAsync(TestCaller.Admin, Adjust, new { productId, delta });

        // assert
        var error = Assert.Single(data["adjustStock"]!["errors"]!.AsArray());
        Assert.Equal(code, error!["code"]!.GetValue<string>());
        Assert.Equal([field], error["field"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Equal(before, await StockAsync(453));
    }

    [Fact]
    public async Task AdjustStock_Should_NeverOverdraw_When_RemovalsRaceForLastUnits()
    {
        // arrange
        var before = await StockAsync(454);
        await fixture.Inventory.DataAsync(TestCaller.Admin, Adjust, new { productId = "454", delta = 4 - before.Available });

        // act
        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => fixture.Inventory.DataAsync(TestCaller.Admin, Adjust, new { productId = "454", delta = -1 })));

        // assert
        var payloads = results.Select(r => r["adjustStock"]!).ToList();
        Assert.Equal(4, payloads.Count(p => p["stock"] is not null));
        Assert.All(payloads.Where(p => p["stock"] is null), p => Assert.Equal("INSUFFICIENT_STOCK", p["errors"]![0]!["code"]!.GetValue<string>()));
        var after = await StockAsync(454);
        Assert.Equal(0, after.Available);
        Assert.Equal(before.Reserved, after.Reserved);
    }

    public static TheoryData<TestCaller, string> NotAdmins => new() { { TestCaller.Shopper(3), "FORBIDDEN" }, { TestCaller.Anonymous, "UNAUTHENTICATED" } };

    [Theory]
    [MemberData(nameof(NotAdmins))]
    public async Task AdjustStock_Should_BeRefusedAndChangeNothing_When_CallerIsNotAdmin(TestCaller caller, string code)
    {
        // arrange
        var before = await StockAsync(459);

        // act
        var response = await fixture.Inventory.QueryAsync(caller, Adjust, new { productId = "459", delta = 1000 });

        // assert
        Assert.Equal([code], response.ErrorCodes());
        Assert.Null(response["data"]);
        Assert.Equal(before, await StockAsync(459));
    }

    private async Task<(int OnHand, int Reserved, int Available)> StockAsync(int productId)
    {
        var data = await fixture.DataAsync("query($id: ID!) { stock(productId: $id) { onHand reserved available } }", new { id = productId.ToString() });
        var stock = data["stock"]!;
        return (stock["onHand"]!.GetValue<int>(), stock["reserved"]!.GetValue<int>(), stock["available"]!.GetValue<int>());
    }
}
