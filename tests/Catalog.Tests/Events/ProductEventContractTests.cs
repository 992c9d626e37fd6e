using System.Text.Json;
using Catalog.Data;
using Catalog.Events;
using Federation.Subgraph.Messaging.Events;
using Federation.Testing;
using Json.Schema;

namespace Catalog.Tests.Events;

/// <summary>
/// The committed JSON Schema in schema/events is the contract; these fail when the records drift from it.
/// After an intended, compatible change run with FEDERATION_UPDATE_EVENT_CONTRACTS=1 and commit the files.
/// </summary>
public sealed class ProductEventContractTests
{
    private static readonly Product Sample = CatalogSeed.CreateProducts().First();

    public static TheoryData<string> EventTypes => [nameof(ProductCreated), nameof(ProductUpdated)];

    [Theory]
    [MemberData(nameof(EventTypes))]
    public void Contract_Should_MatchCommittedSchema_When_GeneratedFromRecord(string eventType)
    {
        // arrange
        var (path, generated) = Generate(eventType);
        if (Environment.GetEnvironmentVariable("FEDERATION_UPDATE_EVENT_CONTRACTS") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, generated);
        }

        // act
        var committed = File.Exists(path) ? File.ReadAllText(path) : "(missing)";

        // assert
        Assert.Equal(committed, generated);
    }

    [Theory]
    [MemberData(nameof(EventTypes))]
    public void Contract_Should_AcceptTheOutboxPayload_When_ValidatedAgainstCommittedSchema(string eventType)
    {
        // arrange
        var schema = LoadCommitted(eventType);
        var payload = eventType == nameof(ProductCreated)
            ? JsonSerializer.SerializeToElement(ProductCreated.From(Sample), EventJson.Options)
            : JsonSerializer.SerializeToElement(ProductUpdated.From(Sample), EventJson.Options);

        // act
        var result = schema.Evaluate(payload, new EvaluationOptions { OutputFormat = OutputFormat.List });

        // assert
        Assert.True(result.IsValid, JsonSerializer.Serialize(result));
    }

    [Theory]
    [InlineData("""{"name":"x","description":"","price":1.49,"categoryId":1,"createdAt":"2026-01-01T00:00:00+00:00"}""")]
    [InlineData("""{"productId":"7","name":"x","description":"","price":1.49,"categoryId":1,"createdAt":"2026-01-01T00:00:00+00:00"}""")]
    [InlineData("""{"productId":7,"name":"x","description":"","price":"1.49","categoryId":1,"createdAt":"2026-01-01T00:00:00+00:00"}""")]
    public void Contract_Should_RejectPayload_When_FieldMissingOrMistyped(string json)
    {
        // arrange
        var schema = LoadCommitted(nameof(ProductCreated));

        // act
        var result = schema.Evaluate(JsonDocument.Parse(json).RootElement);

        // assert
        Assert.False(result.IsValid);
    }

    private static (string Path, string Text) Generate(string eventType) => eventType switch
    {
        nameof(ProductCreated) => (
            Path.Combine(RepositoryPaths.Root, EventContract.RelativePath<ProductCreated>(CatalogTopics.Product)),
            EventContract.Generate(CatalogTopics.Product, ProductCreated.From(Sample))),
        nameof(ProductUpdated) => (
            Path.Combine(RepositoryPaths.Root, EventContract.RelativePath<ProductUpdated>(CatalogTopics.Product)),
            EventContract.Generate(CatalogTopics.Product, ProductUpdated.From(Sample))),
        _ => throw new ArgumentOutOfRangeException(nameof(eventType)),
    };

    private static JsonSchema LoadCommitted(string eventType) =>
        JsonSchema.FromText(
            File.ReadAllText(Generate(eventType).Path),
            new BuildOptions { SchemaRegistry = new SchemaRegistry() },
            new Uri("https://federation.example/schema/events/"));
}
