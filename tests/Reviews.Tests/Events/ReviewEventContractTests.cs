using System.Text.Json;
using Federation.Subgraph.Messaging.Events;
using Federation.Subgraph.Seeding;
using Federation.Testing;
using Json.Schema;
using Reviews.Data;
using Reviews.Events;

namespace Reviews.Tests.Events;

/// <summary>
/// The committed JSON Schema in schema/events is the contract; these fail when ReviewAdded drifts from it.
/// After an intended, compatible change run with FEDERATION_UPDATE_EVENT_CONTRACTS=1 and commit the file.
/// </summary>
public sealed class ReviewEventContractTests
{
    private static readonly Review Sample = ReviewsSeed.CreateReviews(SeedPlan.Purchases().ToList()).First();
    private static readonly string ContractPath = Path.Combine(RepositoryPaths.Root, EventContract.RelativePath<ReviewAdded>(ReviewsTopics.Review));

    [Fact]
    public void ReviewAdded_Should_MatchCommittedSchema_When_GeneratedFromRecord()
    {
        // arrange
        var generated = EventContract.Generate(ReviewsTopics.Review, ReviewAdded.From(Sample));
        if (Environment.GetEnvironmentVariable("FEDERATION_UPDATE_EVENT_CONTRACTS") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(ContractPath)!);
            File.WriteAllText(ContractPath, generated);
        }

        // act
        var committed = File.Exists(ContractPath) ? File.ReadAllText(ContractPath) : "(missing)";

        // assert
        Assert.Equal(committed, generated);
    }

    [Theory]
    [InlineData("""{"reviewId":1,"productId":2,"userId":3,"rating":5,"createdAt":"2026-01-01T00:00:00+00:00"}""", true)]
    [InlineData("""{"reviewId":1,"productId":2,"userId":3,"createdAt":"2026-01-01T00:00:00+00:00"}""", false)]
    [InlineData("""{"reviewId":1,"productId":"2","userId":3,"rating":5,"createdAt":"2026-01-01T00:00:00+00:00"}""", false)]
    public void ReviewAdded_Should_ValidateAgainstCommittedSchema_When_PayloadGiven(string json, bool valid)
    {
        // arrange
        var schema = JsonSchema.FromText(File.ReadAllText(ContractPath), new BuildOptions { SchemaRegistry = new SchemaRegistry() }, new Uri("https://federation.example/schema/events/"));

        // act
        var result = schema.Evaluate(JsonDocument.Parse(json).RootElement);

        // assert
        Assert.Equal(valid, result.IsValid);
    }

    [Fact]
    public void OrderConfirmed_Should_ReadIntoReviewsRecord_When_OrdersSampleIsRead()
    {
        // arrange
        var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "schema", "events", ConsumedTopics.OrdersOrder, "OrderConfirmed.v1.json")));
        var sample = schema.RootElement.GetProperty("examples")[0];

        // act
        var data = sample.Deserialize<OrderConfirmed>(EventJson.Options)!;

        // assert
        Assert.Equal(sample.GetProperty("userId").GetInt32(), data.UserId);
        Assert.Equal(sample.GetProperty("confirmedAt").GetDateTimeOffset(), data.ConfirmedAt);
        Assert.Equal(sample.GetProperty("productIds").EnumerateArray().Select(p => p.GetInt32()), data.ProductIds);
        Assert.NotEmpty(data.ProductIds);
    }

    [Theory]
    [InlineData("ProductCreated")]
    [InlineData("ProductUpdated")]
    public void CatalogProductEvent_Should_ReadIntoReviewsRecord_When_CatalogSampleIsRead(string eventType)
    {
        // arrange
        var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "schema", "events", ConsumedTopics.CatalogProduct, $"{eventType}.v1.json")));
        var sample = schema.RootElement.GetProperty("examples")[0];

        // act
        var productId = eventType == nameof(ProductCreated)
            ? sample.Deserialize<ProductCreated>(EventJson.Options)!.ProductId
            : sample.Deserialize<ProductUpdated>(EventJson.Options)!.ProductId;

        // assert
        Assert.Equal(sample.GetProperty("productId").GetInt32(), productId);
        Assert.True(productId > 0);
    }
}
