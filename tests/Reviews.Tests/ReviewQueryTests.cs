using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Federation.Subgraph.Seeding;

namespace Reviews.Tests;

[Collection(ReviewsCollection.Name)]
public sealed class ReviewQueryTests(ReviewsFixture fixture)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private const string EntitiesQuery = """
        query Entities($representations: [_Any!]!) {
          _entities(representations: $representations) {
            __typename
            ... on Review { id product { id } user { id } rating body createdAt }
            ... on Product { id reviews(first: 2) { totalCount edges { node { id rating } } pageInfo { hasNextPage } } }
            ... on User { id reviews(first: 2) { totalCount nodes { id product { id } } } }
          }
        }
        """;

    [Fact]
    public async Task Service_Should_AnswerSdlWithKeys_When_Queried()
    {
        // act
        var data = await fixture.DataAsync("{ _service { sdl } }");

        // assert
        var sdl = data["_service"]!["sdl"]!.GetValue<string>();
        Assert.Contains("type Review @key(fields: \"id\")", sdl);
        Assert.Contains("type Product @key(fields: \"id\")", sdl);
        Assert.Contains("type User @key(fields: \"id\")", sdl);
    }

    [Fact]
    public async Task Entities_Should_ResolveEveryType_When_RepresentationsMixTypes()
    {
        // arrange
        object[] representations =
        [
            new { __typename = "Review", id = "1" },
            new { __typename = "Product", id = "480" },
            new { __typename = "User", id = "12" },
            new { __typename = "Review", id = "999999" },
            new { __typename = "Product", id = "777777" },
        ];

        // act
        var data = await fixture.DataAsync(EntitiesQuery, new { representations });

        // assert
        data.ToJsonString(Indented).MatchSnapshot();
    }

    [Fact]
    public async Task Entities_Should_UseOneStatementPerType_When_FiftyOfEachType()
    {
        // arrange
        var representations = Enumerable.Range(100, 50).Select(id => new { __typename = "Review", id = Id(id) })
            .Concat(Enumerable.Range(200, 50).Select(id => new { __typename = "Product", id = Id(id) }))
            .Concat(Enumerable.Range(1, 50).Select(id => new { __typename = "User", id = Id(id) }))
            .ToArray();
        var capture = await fixture.Reviews.CaptureSqlAsync();

        // act
        var data = await fixture.DataAsync(EntitiesQuery, new { representations });

        // assert
        var statements = await capture.StatementsAsync();
        Assert.Equal(150, data["_entities"]!.AsArray().Count);
        Assert.Single(statements, sql => sql.Contains("WHERE r.id = ANY", StringComparison.Ordinal));
        Assert.Single(statements, sql => sql.Contains("WHERE product_id = o.id", StringComparison.Ordinal));
        Assert.Single(statements, sql => sql.Contains("WHERE user_id = o.id", StringComparison.Ordinal));
        Assert.Equal(2, statements.Count(sql => sql.Contains("count(*)", StringComparison.OrdinalIgnoreCase)));
        Assert.Equal(5, statements.Count);
    }

    [Theory]
    [InlineData("Product", 5, 2)]
    [InlineData("User", 3, 7)]
    public async Task Reviews_Should_VisitEveryReviewOnceNewestFirst_When_PagingWithCursors(string typename, int id, int pageSize)
    {
        // arrange
        var query = $$"""
            query Page($r: [_Any!]!, $first: Int, $after: String) {
              _entities(representations: $r) {
                ... on {{typename}} { reviews(first: $first, after: $after) { totalCount edges { node { id createdAt } } pageInfo { hasNextPage endCursor } } }
              }
            }
            """;
        var seen = new List<(int Id, DateTimeOffset CreatedAt)>();
        var totalCount = 0;
        string? after = null;

        // act
        do
        {
            var reviews = (await fixture.DataAsync(query, new { r = new[] { new { __typename = typename, id = Id(id) } }, first = pageSize, after }))["_entities"]![0]!["reviews"]!;
            totalCount = reviews["totalCount"]!.GetValue<int>();
            seen.AddRange(reviews["edges"]!.AsArray().Select(e => (int.Parse(e!["node"]!["id"]!.GetValue<string>(), CultureInfo.InvariantCulture), DateTimeOffset.Parse(e["node"]!["createdAt"]!.GetValue<string>(), CultureInfo.InvariantCulture))));
            after = reviews["pageInfo"]!["hasNextPage"]!.GetValue<bool>() ? reviews["pageInfo"]!["endCursor"]!.GetValue<string>() : null;
        }
        while (after is not null);

        // assert
        Assert.True(totalCount > 2 * pageSize, "more than two pages");
        Assert.Equal(totalCount, seen.Count);
        Assert.Equal(seen.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id), seen);
        Assert.Equal(seen.Count, seen.Select(r => r.Id).Distinct().Count());
    }

    [Theory]
    [InlineData("Product", 5, 2, "HIGHEST_RATING")]
    [InlineData("Product", 5, 2, "LOWEST_RATING")]
    [InlineData("User", 3, 4, "HIGHEST_RATING")]
    [InlineData("User", 3, 2, "LOWEST_RATING")]
    public async Task Reviews_Should_VisitEveryReviewOnceByRatingThenNewest_When_PagingSortedByRating(string typename, int id, int pageSize, string orderBy)
    {
        // arrange
        var query = $$"""
            query Page($r: [_Any!]!, $first: Int, $after: String, $orderBy: ReviewOrder!) {
              _entities(representations: $r) {
                ... on {{typename}} { reviews(first: $first, after: $after, orderBy: $orderBy) { totalCount edges { node { id rating createdAt } } pageInfo { hasNextPage endCursor } } }
              }
            }
            """;
        var seen = new List<(int Id, int Rating, DateTimeOffset CreatedAt)>();
        var totalCount = 0;
        string? after = null;

        // act
        do
        {
            var reviews = (await fixture.DataAsync(query, new { r = new[] { new { __typename = typename, id = Id(id) } }, first = pageSize, after, orderBy }))["_entities"]![0]!["reviews"]!;
            totalCount = reviews["totalCount"]!.GetValue<int>();
            seen.AddRange(reviews["edges"]!.AsArray().Select(e => (
                int.Parse(e!["node"]!["id"]!.GetValue<string>(), CultureInfo.InvariantCulture),
                e["node"]!["rating"]!.GetValue<int>(),
                DateTimeOffset.Parse(e["node"]!["createdAt"]!.GetValue<string>(), CultureInfo.InvariantCulture))));
            after = reviews["pageInfo"]!["hasNextPage"]!.GetValue<bool>() ? reviews["pageInfo"]!["endCursor"]!.GetValue<string>() : null;
        }
        while (after is not null);

        // assert
        Assert.True(totalCount > 2 * pageSize, "more than two pages");
        Assert.True(seen.Select(r => r.Rating).Distinct().Count() > 1, "more than one rating, so the order is tested");
        Assert.Equal(totalCount, seen.Count);
        var byRating = orderBy == "HIGHEST_RATING" ? seen.OrderByDescending(r => r.Rating) : seen.OrderBy(r => r.Rating);
        Assert.Equal(byRating.ThenByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id), seen);
        Assert.Equal(seen.Count, seen.Select(r => r.Id).Distinct().Count());
    }

    [Fact]
    public async Task Reviews_Should_RefuseCursorOfAnotherOrder_When_OrderChangesBetweenPages()
    {
        // arrange
        const string query = """
            query($after: String, $orderBy: ReviewOrder!) { _entities(representations: [{ __typename: "Product", id: "5" }]) { ... on Product { reviews(first: 2, after: $after, orderBy: $orderBy) { pageInfo { endCursor } } } } }
            """;
        var newest = (await fixture.DataAsync(query, new { after = (string?)null, orderBy = "NEWEST" }))["_entities"]![0]!["reviews"]!["pageInfo"]!["endCursor"]!.GetValue<string>();
        var highest = (await fixture.DataAsync(query, new { after = (string?)null, orderBy = "HIGHEST_RATING" }))["_entities"]![0]!["reviews"]!["pageInfo"]!["endCursor"]!.GetValue<string>();

        // act
        var newestCursorSortedByRating = await fixture.Reviews.QueryAsync(query, new { after = newest, orderBy = "HIGHEST_RATING" });
        var highestCursorSortedByLowest = await fixture.Reviews.QueryAsync(query, new { after = highest, orderBy = "LOWEST_RATING" });
        var unknownOrder = await fixture.Reviews.QueryAsync(query, new { after = (string?)null, orderBy = "RANDOM" });

        // assert
        Assert.Equal("BAD_CURSOR", Assert.Single(newestCursorSortedByRating["errors"]!.AsArray())!["extensions"]!["code"]!.GetValue<string>());
        Assert.Equal("BAD_CURSOR", Assert.Single(highestCursorSortedByLowest["errors"]!.AsArray())!["extensions"]!["code"]!.GetValue<string>());
        Assert.NotNull(unknownOrder["errors"]);
        Assert.Null(unknownOrder["data"]?["_entities"]);
    }

    [Theory]
    [InlineData("not-a-cursor", 5, "BAD_CURSOR")]
    [InlineData(null, 101, "BAD_USER_INPUT")]
    public async Task Reviews_Should_ReturnCodedError_When_ArgumentInvalid(string? after, int first, string code)
    {
        // act
        var response = await fixture.Reviews.QueryAsync("""
            query($first: Int, $after: String) { _entities(representations: [{ __typename: "Product", id: "1" }]) { ... on Product { reviews(first: $first, after: $after) { totalCount } } } }
            """, new { first, after });

        // assert
        var error = Assert.Single(response["errors"]!.AsArray());
        Assert.Equal(code, error!["extensions"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task SeededReviews_Should_BeByBuyersOncePerProduct_When_AllTwoThousandRead()
    {
        // arrange
        var purchases = SeedPlan.Purchases().Select(p => (p.UserId, p.ProductId)).ToHashSet();
        var representations = Enumerable.Range(1, 2000).Select(id => new { __typename = "Review", id = Id(id) });

        // act
        var data = await fixture.DataAsync("""
            query($r: [_Any!]!) { _entities(representations: $r) { ... on Review { product { id } user { id } rating } } }
            """, new { r = representations });

        // assert
        var reviews = data["_entities"]!.AsArray()
            .Select(r => (UserId: int.Parse(r!["user"]!["id"]!.GetValue<string>(), CultureInfo.InvariantCulture), ProductId: int.Parse(r["product"]!["id"]!.GetValue<string>(), CultureInfo.InvariantCulture), Rating: r["rating"]!.GetValue<int>()))
            .ToList();
        Assert.Equal(2000, reviews.Count);
        Assert.All(reviews, r => Assert.Contains((r.UserId, r.ProductId), purchases));
        Assert.Equal(2000, reviews.Select(r => (r.UserId, r.ProductId)).Distinct().Count());
        Assert.All(reviews, r => Assert.InRange(r.Rating, 1, 5));
        Assert.Equal(5, reviews.Select(r => r.Rating).Distinct().Count());
    }

    [Fact]
    public async Task Review_Should_ReturnNullOrCodedError_When_IdUnknownOrInvalid()
    {
        // act
        var unknown = await fixture.DataAsync("""{ review(id: "987654") { id } }""");
        var invalid = await fixture.Reviews.QueryAsync("""{ review(id: "abc") { id } }""");

        // assert
        Assert.Null(unknown["review"]);
        Assert.Equal("BAD_USER_INPUT", invalid["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
    }

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);
}
