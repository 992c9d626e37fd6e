using System.Globalization;
using Federation.Testing.Security;
using Federation.Testing.Servers;
using Federation.Testing.Subgraphs;
using Npgsql;
using Xunit.Abstractions;

namespace Messaging.Tests;

/// <summary>
/// Reviews and catalog as separate processes: ReviewAdded events keep Product.rating in catalog, and catalog's
/// product events keep reviews' product read model (what addReview accepts) current.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class ProductRatingTests(MessagingFixture fixture, ITestOutputHelper output)
{
    private const int SeededReviews = 2000;

    [Fact]
    public async Task Reviews_Should_DriveCatalogRatings_When_SeededAndWhenAdded()
    {
        // arrange
        var catalogDb = await fixture.CreateDatabaseAsync("rt_catalog");
        var reviewsDb = await fixture.CreateDatabaseAsync("rt_reviews");
        // A cluster of its own: the services' topic names are fixed, so a shared cluster would mix tests' events.
        await using var cluster = await KafkaMockCluster.StartAsync();
        var kafka = cluster.BootstrapServers;
        var group = Guid.NewGuid().ToString("N");
        var catalogStart = SubgraphProcess.StartAsync("Catalog", ServiceSettings.For("Catalog", catalogDb, kafka, group));
        var reviewsStart = SubgraphProcess.StartAsync("Reviews", ServiceSettings.For("Reviews", reviewsDb, kafka, group));
        await using var catalog = await catalogStart;
        await using var reviews = await reviewsStart;
        var folded = await Propagation.WaitForCountAsync(() => Propagation.ScalarAsync(catalogDb, "SELECT count(*) FROM inbox_messages WHERE type = 'ReviewAdded'"), SeededReviews, "catalog to fold in the seeded reviews", catalog, reviews);
        output.WriteLine($"catalog folded in the {SeededReviews} seeded reviews in {folded.TotalSeconds:0.0} s");
        var seeded = await RatingsAsync(catalogDb, reviewsDb);
        var buyers = await UnreviewedPurchasesAsync(reviewsDb, 200);

        // act
        var since = DateTimeOffset.UtcNow;
        for (var i = 0; i < buyers.Count; i++)
        {
            var response = await reviews.QueryAsync(
                TestCaller.Shopper(buyers[i].UserId),
                "mutation($input: AddReviewInput!) { addReview(input: $input) { errors { code message } } }",
                new { input = new { productId = buyers[i].ProductId.ToString(CultureInfo.InvariantCulture), rating = 1 + (i % 5), body = "Measured by the messaging tests." } });
            Assert.Empty(response["data"]!["addReview"]!["errors"]!.AsArray());
        }
        await Propagation.WaitForCountAsync(() => Propagation.ScalarAsync(catalogDb, "SELECT count(*) FROM inbox_messages WHERE type = 'ReviewAdded'"), SeededReviews + buyers.Count, "catalog to fold in the new reviews", catalog, reviews);

        // assert
        Assert.Equal(seeded.Reviews, seeded.Catalog);
        var after = await RatingsAsync(catalogDb, reviewsDb);
        Assert.Equal(after.Reviews, after.Catalog);
        Assert.NotEqual(seeded.Catalog, after.Catalog);
        var product = buyers[0].ProductId;
        var graphql = await catalog.QueryAsync($$"""{ product(id: "{{product}}") { rating } }""");
        var expected = after.Reviews.Single(r => r.ProductId == product);
        Assert.Equal(Math.Round((double)expected.Total / expected.Count, 2, MidpointRounding.AwayFromZero), graphql["data"]!["product"]!["rating"]!.GetValue<double>());
        var latencies = await Propagation.LatenciesAsync(reviewsDb, catalogDb, "ReviewAdded", since);
        output.WriteLine($"reviews commit -> catalog Product.rating over {latencies.Count} ReviewAdded events: p50 {Propagation.Percentile(latencies, 50):0} ms, p99 {Propagation.Percentile(latencies, 99):0} ms, max {latencies.Max():0} ms");
        Assert.Equal(buyers.Count, latencies.Count);
    }

    [Fact]
    public async Task AddReview_Should_KnowACatalogProduct_When_CatalogCreatedItAfterTheSeed()
    {
        // arrange
        var catalogDb = await fixture.CreateDatabaseAsync("rp_catalog");
        var reviewsDb = await fixture.CreateDatabaseAsync("rp_reviews");
        // A cluster of its own: the services' topic names are fixed, so a shared cluster would mix tests' events.
        await using var cluster = await KafkaMockCluster.StartAsync();
        var kafka = cluster.BootstrapServers;
        var group = Guid.NewGuid().ToString("N");
        var catalogStart = SubgraphProcess.StartAsync("Catalog", ServiceSettings.For("Catalog", catalogDb, kafka, group));
        var reviewsStart = SubgraphProcess.StartAsync("Reviews", ServiceSettings.For("Reviews", reviewsDb, kafka, group));
        await using var catalog = await catalogStart;
        await using var reviews = await reviewsStart;
        // Probed before catalog creates it (nothing else creates products here), so the event cannot have arrived yet.
        var next = (await Propagation.ScalarAsync(catalogDb, "SELECT max(id) + 1 FROM products")).ToString(CultureInfo.InvariantCulture);
        var before = await ReviewErrorAsync(reviews, next);
        var product = await CatalogProducts.CreateAsync(catalog, "Read Model Probe", 12.5m);
        Assert.Equal(next, product);

        // act
        await Propagation.WaitForAsync(async () => await Propagation.ScalarAsync(reviewsDb, $"SELECT count(*) FROM products WHERE id = {product}") == 1, "reviews to learn the new product", catalog, reviews);
        var after = await ReviewErrorAsync(reviews, product);

        // assert
        Assert.Equal(("NOT_FOUND", "FORBIDDEN"), (before, after));
        var announced = await Propagation.ScalarAsync(catalogDb, "SELECT count(*) FROM outbox_messages WHERE type = 'ProductCreated'");
        await Propagation.WaitForAsync(async () => await Propagation.ScalarAsync(reviewsDb, "SELECT count(*) FROM inbox_messages WHERE type = 'ProductCreated'") == announced, "reviews to consume every ProductCreated", catalog, reviews);
        // The seeded products were already known to reviews, so their events add nothing.
        Assert.Equal(announced, await Propagation.ScalarAsync(reviewsDb, "SELECT count(*) FROM products"));
    }

    /// <summary>The one error code addReview answers for a user who never bought <paramref name="product"/>.</summary>
    private static async Task<string> ReviewErrorAsync(SubgraphProcess reviews, string product)
    {
        var response = await reviews.QueryAsync(
            TestCaller.Shopper(1),
            "mutation($input: AddReviewInput!) { addReview(input: $input) { errors { code } } }",
            new { input = new { productId = product, rating = 5, body = "Probe." } });
        return Assert.Single(response["data"]!["addReview"]!["errors"]!.AsArray())!["code"]!.GetValue<string>();
    }

    private sealed record Rating(int ProductId, long Count, long Total);

    /// <summary>Per product: review count and rating sum as catalog holds them and as reviews' own rows add up.</summary>
    private static async Task<(List<Rating> Catalog, List<Rating> Reviews)> RatingsAsync(string catalogDb, string reviewsDb) =>
        (await ReadAsync(catalogDb, "SELECT id, review_count, rating_total FROM products WHERE review_count > 0 ORDER BY id"),
         await ReadAsync(reviewsDb, "SELECT product_id, count(*), sum(rating) FROM reviews GROUP BY product_id ORDER BY product_id"));

    private static async Task<List<(int UserId, int ProductId)>> UnreviewedPurchasesAsync(string reviewsDb, int limit)
    {
        var rows = await ReadAsync(reviewsDb, $"""
            SELECT p.user_id, p.product_id, 0 FROM purchases p
            LEFT JOIN reviews r ON r.user_id = p.user_id AND r.product_id = p.product_id
            WHERE r.id IS NULL ORDER BY p.product_id, p.user_id LIMIT {limit}
            """);
        Assert.True(rows.Count >= 50, $"The seed has only {rows.Count} purchases without a review.");
        return rows.Select(r => (r.ProductId, (int)r.Count)).ToList();
    }

    private static async Task<List<Rating>> ReadAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        // The SQL is written in this file.
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<Rating>();
        while (await reader.ReadAsync())
            rows.Add(new Rating(reader.GetInt32(0), Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture), Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture)));
        return rows;
    }
}
