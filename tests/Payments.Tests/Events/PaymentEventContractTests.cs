using System.Text.Json;
using Federation.Subgraph.Messaging.Events;
using Federation.Testing;
using Payments.Events;

namespace Payments.Tests.Events;

/// <summary>
/// The committed JSON Schemas in schema/events are the contract; this fails when the payment outcomes drift from them.
/// After an intended, compatible change run with FEDERATION_UPDATE_EVENT_CONTRACTS=1 and commit the files.
/// </summary>
public sealed class PaymentEventContractTests
{
    [Fact]
    public void PaymentOutcomes_Should_MatchCommittedSchemas_When_GeneratedFromRecords()
    {
        // arrange
        var contracts = new[]
        {
            (Path: EventContract.RelativePath<PaymentSucceeded>(PaymentsTopics.Payment), Text: EventContract.Generate(PaymentsTopics.Payment, new PaymentSucceeded(1001, 2001, 24.98m))),
            (Path: EventContract.RelativePath<PaymentFailed>(PaymentsTopics.Payment), Text: EventContract.Generate(PaymentsTopics.Payment, new PaymentFailed(1002, 2002, 7499.97m, "The test card declines charges above $5,000.00."))),
        };
        if (Environment.GetEnvironmentVariable("FEDERATION_UPDATE_EVENT_CONTRACTS") == "1")
        {
            foreach (var (path, text) in contracts)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(RepositoryPaths.Root, path))!);
                File.WriteAllText(Path.Combine(RepositoryPaths.Root, path), text);
            }
        }

        // act
        var committed = contracts.Select(c => File.Exists(Path.Combine(RepositoryPaths.Root, c.Path)) ? File.ReadAllText(Path.Combine(RepositoryPaths.Root, c.Path)) : "(missing)").ToList();

        // assert
        Assert.Equal(contracts.Select(c => c.Text), committed);
    }

    [Fact]
    public void StockReserved_Should_ReadIntoPaymentsRecord_When_InventorySampleIsRead()
    {
        // arrange
        var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "schema", "events", ConsumedTopics.InventoryStock, "StockReserved.v1.json")));
        var sample = schema.RootElement.GetProperty("examples")[0];

        // act
        var data = sample.Deserialize<StockReserved>(EventJson.Options)!;

        // assert
        Assert.Equal((sample.GetProperty("orderId").GetInt32(), sample.GetProperty("userId").GetInt32(), sample.GetProperty("total").GetDecimal()), (data.OrderId, data.UserId, data.Total));
        Assert.Equal(new StockReservedCard(sample.GetProperty("card").GetProperty("brand").GetString()!, sample.GetProperty("card").GetProperty("last4").GetString()!), data.Card);
    }
}
