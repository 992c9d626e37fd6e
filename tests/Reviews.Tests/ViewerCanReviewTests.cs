using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Federation.Subgraph.Seeding;
using Federation.Testing.Security;

namespace Reviews.Tests;

/// <summary>Product.viewerCanReview for an anonymous caller, a non-buyer, a buyer, and the buyer once they reviewed (user 38, only here).</summary>
[Collection(ReviewsCollection.Name)]
public sealed class ViewerCanReviewTests(ReviewsFixture fixture)
{
    private const string Query = """
        query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { id viewerCanReview } } }
        """;

    private static object[] Products(params int[] ids) =>
        ids.Select(id => (object)new { __typename = "Product", id = id.ToString(CultureInfo.InvariantCulture) }).ToArray();

    private async Task<bool[]> CanReviewAsync(TestCaller caller, params int[] productIds)
    {
        var data = await fixture.Reviews.DataAsync(caller, Query, new { r = Products(productIds) });
        return data["_entities"]!.AsArray().Select(e => e!["viewerCanReview"]!.GetValue<bool>()).ToArray();
    }

    private async Task<HashSet<int>> ReviewedByAsync(int userId)
    {
        var data = await fixture.DataAsync("""
            query($r: [_Any!]!) { _entities(representations: $r) { ... on User { reviews(first: 100) { nodes { product { id } } } } } }
            """, new { r = new object[] { new { __typename = "User", id = userId.ToString(CultureInfo.InvariantCulture) } } });
        return data["_entities"]![0]!["reviews"]!["nodes"]!.AsArray()
            .Select(n => int.Parse(n!["product"]!["id"]!.GetValue<string>(), CultureInfo.InvariantCulture)).ToHashSet();
    }

    [Fact]
    public async Task ViewerCanReview_Should_BeTrueOnlyForBoughtUnreviewed_And_TurnFalseAfterReview()
    {
        // arrange
        const int user = 38;
        var bought = SeedPlan.Purchases().Where(p => p.UserId == user).Select(p => p.ProductId).ToHashSet();
        var reviewed = await ReviewedByAsync(user);
        var unreviewed = bought.First(p => !reviewed.Contains(p));
        var notBought = Enumerable.Range(1, SeedPlan.ProductCount).First(p => !bought.Contains(p));
        var alreadyReviewed = reviewed.Count > 0 ? reviewed.First() : (int?)null;

        // act
        var before = await CanReviewAsync(TestCaller.Shopper(user), unreviewed, notBought);
        var anonymous = await CanReviewAsync(TestCaller.Anonymous, unreviewed);
        var added = await fixture.Reviews.DataAsync(TestCaller.Shopper(user),
            "mutation($input: AddReviewInput!) { addReview(input: $input) { review { id } errors { code } } }",
            new { input = new { productId = unreviewed.ToString(CultureInfo.InvariantCulture), rating = 4, body = "Does the job." } });
        var after = await CanReviewAsync(TestCaller.Shopper(user), unreviewed);

        // assert
        Assert.Equal([true, false], before);
        Assert.Equal([false], anonymous);
        Assert.Empty(added["addReview"]!["errors"]!.AsArray());
        Assert.Equal([false], after);
        if (alreadyReviewed is { } seededReview)
        {
            var seeded = await CanReviewAsync(TestCaller.Shopper(user), seededReview);
            Assert.Equal([false], seeded);
        }
    }

    [Fact]
    public async Task ViewerCanReview_Should_NeverBeCached_When_Answered()
    {
        // act
        using var response = await fixture.Reviews.PostAsync(Query, new { r = Products(1) },
            authorization: new AuthenticationHeaderValue("Bearer", TestInternalTokens.Mint(fixture.Reviews.Name, "37", ["shopper"])));

        // assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
    }

    [Fact]
    public async Task AddReview_Should_RefuseNonBuyerWithAHumanMessage_When_NotBought()
    {
        // arrange
        const int user = 37;
        var bought = SeedPlan.Purchases().Where(p => p.UserId == user).Select(p => p.ProductId).ToHashSet();
        var notBought = Enumerable.Range(1, SeedPlan.ProductCount).First(p => !bought.Contains(p));

        // act
        var data = await fixture.Reviews.DataAsync(TestCaller.Shopper(user),
            "mutation($input: AddReviewInput!) { addReview(input: $input) { review { id } errors { code message field } } }",
            new { input = new { productId = notBought.ToString(CultureInfo.InvariantCulture), rating = 2, body = "Never had it." } });

        // assert
        var error = Assert.Single(data["addReview"]!["errors"]!.AsArray())!;
        Assert.Equal("FORBIDDEN", error["code"]!.GetValue<string>());
        var message = error["message"]!.GetValue<string>();
        Assert.Equal("Only shoppers who bought this product can review it; once your order for it is confirmed, you can.", message);
        Assert.DoesNotContain(user.ToString(CultureInfo.InvariantCulture), message, StringComparison.Ordinal);
        Assert.DoesNotContain(notBought.ToString(CultureInfo.InvariantCulture), message, StringComparison.Ordinal);
    }
}
