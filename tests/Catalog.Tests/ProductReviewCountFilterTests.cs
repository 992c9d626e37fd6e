using Npgsql;

namespace Catalog.Tests;

[Collection(CatalogCollection.Name)]
public sealed class ProductReviewCountFilterTests(CatalogFixture fixture)
{
    [Fact]
    public async Task Products_Should_LeaveOutProductsWithFewerReviews_When_MinReviewCountGiven()
    {
        // arrange: three products only this test's search token finds; the worst-rated has a single review
        var token = "rcf" + Guid.NewGuid().ToString("N")[..10];
        await InsertAsync($"{token} one review", reviewCount: 1, ratingTotal: 1);
        await InsertAsync($"{token} three reviews", reviewCount: 3, ratingTotal: 6);
        await InsertAsync($"{token} five reviews", reviewCount: 5, ratingTotal: 20);
        const string query = """
            query($search: String!, $min: Int) {
              products(first: 10, filter: { search: $search, minReviewCount: $min }, orderBy: { field: RATING, direction: ASC }) {
                totalCount edges { node { name rating reviewCount } }
              }
            }
            """;

        // act
        var all = (await fixture.DataAsync(query, new { search = token, min = (int?)null }))["products"]!;
        var atLeastThree = (await fixture.DataAsync(query, new { search = token, min = 3 }))["products"]!;

        // assert
        Assert.Equal(3, all["totalCount"]!.GetValue<int>());
        Assert.Equal($"{token} one review", all["edges"]![0]!["node"]!["name"]!.GetValue<string>());
        Assert.Equal(2, atLeastThree["totalCount"]!.GetValue<int>());
        Assert.Equal([$"{token} three reviews", $"{token} five reviews"], atLeastThree["edges"]!.AsArray().Select(e => e!["node"]!["name"]!.GetValue<string>()));
        Assert.Equal(2.0, atLeastThree["edges"]![0]!["node"]!["rating"]!.GetValue<double>());
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1_000_001)]
    public async Task Products_Should_ReturnBadUserInput_When_MinReviewCountOutOfRange(int min)
    {
        // act
        var response = await fixture.Catalog.QueryAsync("query($min: Int) { products(filter: { minReviewCount: $min }) { totalCount } }", new { min });

        // assert
        var error = Assert.Single(response["errors"]!.AsArray());
        Assert.Equal("BAD_USER_INPUT", error!["extensions"]!["code"]!.GetValue<string>());
        Assert.Contains("'minReviewCount' must be between 0 and 1000000", error["message"]!.GetValue<string>());
    }

    private async Task InsertAsync(string name, int reviewCount, int ratingTotal)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            INSERT INTO products (category_id, created_at, description, in_stock, name, price, rating_average, rating_total, review_count)
            VALUES ((SELECT min(id) FROM categories), now(), 'review count filter test', true, @name, 10.00, round(@total::numeric / @count, 2), @total, @count)
            """, connection);
        command.Parameters.AddWithValue("name", name);
        command.Parameters.AddWithValue("total", ratingTotal);
        command.Parameters.AddWithValue("count", reviewCount);
        await command.ExecuteNonQueryAsync();
    }
}
