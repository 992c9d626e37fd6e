using System.Text.Json;
using System.Text.Json.Nodes;
using Federation.Subgraph.Messaging.Events;
using Federation.Testing;
using Orders.Events;

namespace Orders.Tests.Events;

/// <summary>Orders reads catalog's committed sample events into its own minimal records (consumer side of the contract).</summary>
public sealed class CatalogProductContractTests
{
    [Fact]
    public void ProductCreated_Should_ReadIntoOrdersRecord_When_PublisherSampleIsRead()
    {
        // arrange
        var sample = Sample("ProductCreated.v1.json");

        // act
        var data = JsonSerializer.Deserialize<ProductCreated>(sample, EventJson.Options)!;

        // assert
        Assert.Equal(sample["productId"]!.GetValue<int>(), data.ProductId);
        Assert.Equal(sample["price"]!.GetValue<decimal>(), data.Price);
        Assert.True(data.Price > 0);
    }

    [Fact]
    public void ProductUpdated_Should_ReadIntoOrdersRecord_When_PublisherSampleIsRead()
    {
        // arrange
        var sample = Sample("ProductUpdated.v1.json");

        // act
        var data = JsonSerializer.Deserialize<ProductUpdated>(sample, EventJson.Options)!;

        // assert
        Assert.Equal(sample["productId"]!.GetValue<int>(), data.ProductId);
        Assert.Equal(sample["price"]!.GetValue<decimal>(), data.Price);
    }

    [Theory]
    [InlineData("ProductCreated.v1.json")]
    [InlineData("ProductUpdated.v1.json")]
    public void Contract_Should_RequireEveryFieldOrdersReads_When_PublisherSchemaChanges(string file)
    {
        // arrange
        var schema = Schema(file);

        // act
        var required = schema["required"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();

        // assert
        Assert.Contains("productId", required);
        Assert.Contains("price", required);
        Assert.Equal("number", schema["properties"]!["price"]!["type"]!.GetValue<string>());
    }

    private static JsonObject Schema(string file) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "schema", "events", ConsumedTopics.CatalogProduct, file)))!.AsObject();

    private static JsonObject Sample(string file) => Schema(file)["examples"]![0]!.AsObject();
}
