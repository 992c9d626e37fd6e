using System.Text.Json;
using Federation.Subgraph.Messaging.Events;
using Federation.Testing;
using Inventory.Data;
using Inventory.Events;
using Json.Schema;

namespace Inventory.Tests.Events;

/// <summary>
/// The committed JSON Schema in schema/events is the contract; these fail when StockChanged drifts from it.
/// After an intended, compatible change run with FEDERATION_UPDATE_EVENT_CONTRACTS=1 and commit the file.
/// </summary>
public sealed class StockEventContractTests
{
    private static readonly string ContractPath = Path.Combine(RepositoryPaths.Root, EventContract.RelativePath<StockChanged>(InventoryTopics.Stock));

    [Fact]
    public void StockChanged_Should_MatchCommittedSchema_When_GeneratedFromRecord()
    {
        // arrange
        var generated = EventContract.Generate(InventoryTopics.Stock, StockChanged.From(InventorySeed.CreateStockItems().First()));
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
    [InlineData("""{"productId":1,"onHand":5,"reserved":2,"available":3}""", true)]
    [InlineData("""{"productId":1,"onHand":5,"reserved":2}""", false)]
    [InlineData("""{"productId":1,"onHand":"5","reserved":2,"available":3}""", false)]
    public void StockChanged_Should_ValidateAgainstCommittedSchema_When_PayloadGiven(string json, bool valid)
    {
        // arrange
        var schema = JsonSchema.FromText(File.ReadAllText(ContractPath), new BuildOptions { SchemaRegistry = new SchemaRegistry() }, new Uri("https://federation.example/schema/events/"));

        // act
        var result = schema.Evaluate(JsonDocument.Parse(json).RootElement);

        // assert
        Assert.Equal(valid, result.IsValid);
    }
}
