using System.Globalization;
using Reviews.Data;

namespace Reviews.Tests;

/// <summary>
/// The plan of Product.reviews sorted by rating, on the seeded 2,000 reviews: the statement RatedReviewPageDataLoader
/// sends, EXPLAINed with the values of a real batch (every product, page size 11). LOWEST_RATING (rating ascending,
/// ties newest first) mixes directions no single index serves; with about four reviews per product it is a bitmap
/// scan of the product's entries and a sort of those few rows.
/// </summary>
[Collection(ReviewsCollection.Name)]
public sealed class RatedReviewPlanTests(ReviewsFixture fixture)
{
    private const string RatingIndex = "ix_reviews_product_id_rating_created_at_id";

    [Fact]
    public async Task HighestRatingPage_Should_ReadTheRatingIndexBackwardWithoutSorting_When_ProductsAreBatched()
    {
        // arrange
        var sql = string.Format(CultureInfo.InvariantCulture, RatedReviewPageDataLoader.PageSql(ReviewOwner.Product, ReviewOrder.HighestRating, seek: true),
            "@owners", "@take", "@rating", "@at", "@id");

        // act
        var plan = await fixture.PlanAsync("reviews", sql, new Dictionary<string, object>
        {
            ["owners"] = Enumerable.Range(1, 500).ToArray(), ["take"] = 11, ["rating"] = 3, ["at"] = DateTimeOffset.UtcNow, ["id"] = int.MaxValue,
        });

        // assert
        Assert.True(plan.Contains($"Index Scan Backward using {RatingIndex}", StringComparison.Ordinal), plan);
        Assert.False(plan.Contains("Sort", StringComparison.Ordinal), plan);
    }
}
