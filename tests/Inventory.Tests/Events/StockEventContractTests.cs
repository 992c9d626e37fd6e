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

    [Fact]
    public void SagaReplies_Should_MatchCommittedSchemas_When_GeneratedFromRecords()
    {
        // arrange
        var contracts = new[]
        {
            (Path: EventContract.RelativePath<StockReserved>(InventoryTopics.Stock), Text: EventContract.Generate(InventoryTopics.Stock, new StockReserved(1001, 7, 24.98m, [new ReservedLine(3, 2)], new PaymentCard("Visa", "4242")))),
            (Path: EventContract.RelativePath<StockRejected>(InventoryTopics.Stock), Text: EventContract.Generate(InventoryTopics.Stock, new StockRejected(1002, "Not enough stock available.", [25]))),
        };
        if (Environment.GetEnvironmentVariable("FEDERATION_UPDATE_EVENT_CONTRACTS") == "1")
        {
            foreach (var (path, text) in contracts)
                File.WriteAllText(Path.Combine(RepositoryPaths.Root, path), text);
        }

        // act
        var committed = contracts.Select(c => File.Exists(Path.Combine(RepositoryPaths.Root, c.Path)) ? File.ReadAllText(Path.Combine(RepositoryPaths.Root, c.Path)) : "(missing)").ToList();

        // assert
        Assert.Equal(contracts.Select(c => c.Text), committed);
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
