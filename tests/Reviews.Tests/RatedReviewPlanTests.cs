using System.Text.RegularExpressions;
using Npgsql;
using Reviews.Data;

namespace Reviews.Tests;

/// <summary>
/// The plan of Product.reviews sorted by rating, on the seeded 2,000 reviews: the statement RatedReviewPageDataLoader
/// sends, EXPLAINed with the values of a real batch (every product, page size 11). LOWEST_RATING (rating ascending,
/// ties newest first) mixes directions no single index serves; with about four reviews per product it is a bitmap
/// scan of the product's entries and a sort of those few rows.
/// </summary>
[Collection(ReviewsCollection.Name)]
public sealed partial class RatedReviewPlanTests(ReviewsFixture fixture)
{
    private const string RatingIndex = "ix_reviews_product_id_rating_created_at_id";

    [Fact]
    public async Task HighestRatingPage_Should_ReadTheRatingIndexBackwardWithoutSorting_When_ProductsAreBatched()
    {
        // act
        var plan = await ExplainAsync(RatedReviewPageDataLoader.PageSql(ReviewOwner.Product, ReviewOrder.HighestRating, seek: true));

        // assert
        Assert.True(plan.Contains($"Index Scan Backward using {RatingIndex}", StringComparison.Ordinal), plan);
        Assert.False(SortNode().IsMatch(plan), plan);
    }

    private async Task<string> ExplainAsync(string pageSql)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using (var analyze = new NpgsqlCommand("ANALYZE reviews", connection))
            await analyze.ExecuteNonQueryAsync();
        var sql = string.Format(System.Globalization.CultureInfo.InvariantCulture, pageSql, "@owners", "@take", "@rating", "@at", "@id");
        await using var command = new NpgsqlCommand("EXPLAIN " + sql, connection);
        command.Parameters.AddWithValue("owners", Enumerable.Range(1, 500).ToArray());
        command.Parameters.AddWithValue("take", 11);
        command.Parameters.AddWithValue("rating", 3);
        command.Parameters.AddWithValue("at", DateTimeOffset.UtcNow);
        command.Parameters.AddWithValue("id", int.MaxValue);
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
            lines.Add(reader.GetString(0));
        return string.Join('\n', lines);
    }

    [GeneratedRegex(@"(?<!Incremental )Sort\b(?! Key)")]
    private static partial Regex SortNode();
}
