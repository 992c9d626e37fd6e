using System.Globalization;
using System.Text.Json;
using Federation.Subgraph.Seeding;
using Federation.Testing.Security;

namespace Reviews.Tests;

/// <summary>Each test writes reviews as its own seeded user (41..49; 39 and 40 for refused attempts), so counts it reads are its own.</summary>
[Collection(ReviewsCollection.Name)]
public sealed class AddReviewTests(ReviewsFixture fixture)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private const string Add = """
        mutation Add($input: AddReviewInput!) {
          addReview(input: $input) { review { id product { id } user { id } rating body } errors { code message field } }
        }
        """;

    [Fact]
    public async Task AddReview_Should_SaveTrimmedReview_When_UserBoughtProduct()
    {
        // arrange
        var productId = await UnreviewedPurchaseAsync(41);
        var before = await ReviewCountAsync(41);

        // act
        var data = await fixture.Reviews.DataAsync(TestCaller.Shopper(41), Add, new { input = new { productId, rating = 4, body = "  Sturdy and quiet.  " } });

        // assert
        var payload = data["addReview"]!;
        Assert.Empty(payload["errors"]!.AsArray());
        Assert.Equal("Sturdy and quiet.", payload["review"]!["body"]!.GetValue<string>());
        Assert.Equal(productId, payload["review"]!["product"]!["id"]!.GetValue<string>());
        Assert.Equal("41", payload["review"]!["user"]!["id"]!.GetValue<string>());
        Assert.True(int.Parse(payload["review"]!["id"]!.GetValue<string>(), CultureInfo.InvariantCulture) > 2000, "new reviews get ids after the seeded ones");
        var newest = await fixture.DataAsync("""
            query($r: [_Any!]!) { _entities(representations: $r) { ... on User { reviews(first: 1) { totalCount nodes { id } } } } }
            """, new { r = User(41) });
        Assert.Equal(before + 1, newest["_entities"]![0]!["reviews"]!["totalCount"]!.GetValue<int>());
        Assert.Equal(payload["review"]!["id"]!.GetValue<string>(), newest["_entities"]![0]!["reviews"]!["nodes"]![0]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task AddReview_Should_ReturnConflict_When_UserReviewsSameProductTwice()
    {
        // arrange
        var productId = await UnreviewedPurchaseAsync(42);
        await fixture.Reviews.DataAsync(TestCaller.Shopper(42), Add, new { input = new { productId, rating = 5, body = "First." } });
        var before = await ReviewCountAsync(42);

        // act
        var data = await fixture.Reviews.DataAsync(TestCaller.Shopper(42), Add, new { input = new { productId, rating = 1, body = "Second." } });

        // assert
        Assert.Null(data["addReview"]!["review"]);
        Assert.Equal("CONFLICT", Assert.Single(data["addReview"]!["errors"]!.AsArray())!["code"]!.GetValue<string>());
        Assert.Equal(before, await ReviewCountAsync(42));
    }

    [Fact]
    public async Task AddReview_Should_SaveExactlyOne_When_SameReviewSentConcurrently()
    {
        // arrange
        var productId = await UnreviewedPurchaseAsync(43);
        var before = await ReviewCountAsync(43);

        // act
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            fixture.Reviews.DataAsync(TestCaller.Shopper(43), Add, new { input = new { productId, rating = 3, body = $"Attempt {i}" } })));

        // assert
        Assert.Single(results, r => r["addReview"]!["review"] is not null);
        Assert.All(results.Where(r => r["addReview"]!["review"] is null),
            r => Assert.Equal("CONFLICT", r["addReview"]!["errors"]![0]!["code"]!.GetValue<string>()));
        Assert.Equal(before + 1, await ReviewCountAsync(43));
    }

    [Fact]
    public async Task AddReview_Should_ReturnForbiddenAndWriteNothing_When_ProductNotBought()
    {
        // arrange
        var bought = SeedPlan.Purchases().Where(p => p.UserId == 44).Select(p => p.ProductId).ToHashSet();
        var notBought = Enumerable.Range(1, SeedPlan.ProductCount).First(p => !bought.Contains(p)).ToString(CultureInfo.InvariantCulture);
        var before = await ReviewCountAsync(44);

        // act
        var data = await fixture.Reviews.DataAsync(TestCaller.Shopper(44), Add, new { input = new { productId = notBought, rating = 5, body = "Never had it." } });

        // assert
        var error = Assert.Single(data["addReview"]!["errors"]!.AsArray());
        Assert.Equal("FORBIDDEN", error!["code"]!.GetValue<string>());
        Assert.Null(data["addReview"]!["review"]);
        Assert.Equal(before, await ReviewCountAsync(44));
    }

    [Fact]
    public async Task AddReview_Should_ReturnNotFoundAndWriteNothing_When_CatalogNeverAnnouncedTheProduct()
    {
        // arrange
        var unknown = (SeedPlan.ProductCount + 1).ToString(CultureInfo.InvariantCulture);
        var before = await ReviewCountAsync(48);

        // act
        var data = await fixture.Reviews.DataAsync(TestCaller.Shopper(48), Add, new { input = new { productId = unknown, rating = 3, body = "Does it exist?" } });

        // assert
        var error = Assert.Single(data["addReview"]!["errors"]!.AsArray());
        Assert.Equal("NOT_FOUND", error!["code"]!.GetValue<string>());
        Assert.Equal("This product does not exist (any more); there is nothing to review.", error["message"]!.GetValue<string>());
        Assert.Null(data["addReview"]!["review"]);
        Assert.Equal(before, await ReviewCountAsync(48));
    }

    [Fact]
    public async Task AddReview_Should_ReturnEveryValidationError_When_InputInvalid()
    {
        // arrange
        var before = await ReviewCountAsync(45);

        // act
        var data = await fixture.Reviews.DataAsync(TestCaller.Shopper(45), Add, new { input = new { productId = "x", rating = 0, body = "   " } });

        // assert
        data.ToJsonString(Indented).MatchSnapshot();
        Assert.Equal(before, await ReviewCountAsync(45));
    }

    [Theory]
    [InlineData(6, 10, "rating")]
    [InlineData(5, 2001, "body")]
    public async Task AddReview_Should_RejectOutOfRangeField_When_UserBoughtProduct(int rating, int bodyLength, string field)
    {
        // arrange
        var productId = await UnreviewedPurchaseAsync(46);
        var before = await ReviewCountAsync(46);

        // act
        var data = await fixture.Reviews.DataAsync(TestCaller.Shopper(46), Add, new { input = new { productId, rating, body = new string('b', bodyLength) } });

        // assert
        var error = Assert.Single(data["addReview"]!["errors"]!.AsArray());
        Assert.Equal("VALIDATION", error!["code"]!.GetValue<string>());
        Assert.Equal(["input", field], error["field"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Equal(before, await ReviewCountAsync(46));
    }

    [Fact]
    public async Task AddReview_Should_AcceptLongestBody_When_BodyIsTwoThousandCharacters()
    {
        // arrange
        var productId = await UnreviewedPurchaseAsync(47);

        // act
        var data = await fixture.Reviews.DataAsync(TestCaller.Shopper(47), Add, new { input = new { productId, rating = 2, body = new string('b', 2000) } });

        // assert
        Assert.Empty(data["addReview"]!["errors"]!.AsArray());
        Assert.Equal(2000, data["addReview"]!["review"]!["body"]!.GetValue<string>().Length);
    }

    [Fact]
    public async Task AddReview_Should_RefuseRequestAndWriteNothing_When_InputNamesAnotherUser()
    {
        // arrange: user 40 tries to review, in user 39's name, a product 39 bought
        var productId = await UnreviewedPurchaseAsync(39);
        var (victimBefore, callerBefore) = (await ReviewCountAsync(39), await ReviewCountAsync(40));

        // act
        var response = await fixture.Reviews.QueryAsync(TestCaller.Shopper(40), Add, new { input = new { productId, userId = "39", rating = 1, body = "Not mine." } });

        // assert
        Assert.NotEmpty(response["errors"]!.AsArray());
        Assert.Null(response["data"]);
        Assert.Equal(victimBefore, await ReviewCountAsync(39));
        Assert.Equal(callerBefore, await ReviewCountAsync(40));
    }

    [Fact]
    public async Task AddReview_Should_BeUnauthenticatedAndWriteNothing_When_CallerAnonymous()
    {
        // arrange
        var productId = await UnreviewedPurchaseAsync(39);
        var before = await ReviewCountAsync(39);

        // act
        var response = await fixture.Reviews.QueryAsync(TestCaller.Anonymous, Add, new { input = new { productId, rating = 5, body = "Anonymous." } });

        // assert
        Assert.Equal(["UNAUTHENTICATED"], response.ErrorCodes());
        Assert.Null(response["data"]);
        Assert.Equal(before, await ReviewCountAsync(39));
    }

    private static object[] User(int id) => [new { __typename = "User", id = id.ToString(CultureInfo.InvariantCulture) }];

    /// <summary>A product the seeded user bought but has not reviewed yet.</summary>
    private async Task<string> UnreviewedPurchaseAsync(int userId)
    {
        var data = await fixture.DataAsync("""
            query($r: [_Any!]!) { _entities(representations: $r) { ... on User { reviews(first: 100) { nodes { product { id } } } } } }
            """, new { r = User(userId) });
        var reviewed = data["_entities"]![0]!["reviews"]!["nodes"]!.AsArray().Select(n => int.Parse(n!["product"]!["id"]!.GetValue<string>(), CultureInfo.InvariantCulture)).ToHashSet();
        return SeedPlan.Purchases().Where(p => p.UserId == userId).Select(p => p.ProductId).First(p => !reviewed.Contains(p)).ToString(CultureInfo.InvariantCulture);
    }

    private async Task<int> ReviewCountAsync(int userId)
    {
        var data = await fixture.DataAsync("""
            query($r: [_Any!]!) { _entities(representations: $r) { ... on User { reviews { totalCount } } } }
            """, new { r = User(userId) });
        return data["_entities"]![0]!["reviews"]!["totalCount"]!.GetValue<int>();
    }
}
