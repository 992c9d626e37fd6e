using System.Text.Json;
using Federation.Subgraph.Messaging.Events;
using Federation.Testing;
using Json.Schema;
using Orders.Domain;
using Orders.Events;

namespace Orders.Tests.Events;

/// <summary>
/// The committed JSON Schemas in schema/events are the contract; these fail when an orders event drifts from its file.
/// After an intended, compatible change run with FEDERATION_UPDATE_EVENT_CONTRACTS=1 and commit the file.
/// </summary>
public sealed class OrderEventContractTests
{
    private static readonly string ContractPath = Path.Combine(RepositoryPaths.Root, EventContract.RelativePath<OrderPlaced>(OrdersTopics.Order));

    private static readonly Order Sample = new()
    {
        Id = 1001,
        UserId = 7,
        Subtotal = 54.97m,
        ShippingCost = 4.99m,
        Tax = 4.35m,
        Total = 64.31m,
        ShippingMethod = ShippingMethod.Standard,
        ShippingAddress = new ShippingAddress { Name = "Ada Lovelace", Line1 = "12 Market St", City = "San Francisco", Region = "CA", PostalCode = "94103", Country = "US" },
        CardBrand = "Visa",
        CardLast4 = "4242",
        PlacedAt = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero),
        Lines = [new OrderLine { ProductId = 3, Quantity = 2, UnitPrice = 12.49m }, new OrderLine { ProductId = 9, Quantity = 1, UnitPrice = 29.99m }],
    };

    private static readonly DateTimeOffset SettledAt = new(2026, 11, 25, 12, 0, 5, TimeSpan.Zero);

    [Fact]
    public void OrderPlaced_Should_MatchCommittedSchema_When_GeneratedFromRecord()
    {
        // arrange
        var generated = EventContract.Generate(OrdersTopics.Order, OrderPlaced.From(Sample));

        // act
        var committed = ReadOrUpdate(ContractPath, generated);

        // assert
        Assert.Equal(committed, generated);
    }

    [Fact]
    public void OrderConfirmed_Should_MatchCommittedSchema_When_GeneratedFromRecord()
    {
        // arrange
        var generated = EventContract.Generate(OrdersTopics.Order, OrderConfirmed.From(Sample, SettledAt));

        // act
        var committed = ReadOrUpdate(Path.Combine(RepositoryPaths.Root, EventContract.RelativePath<OrderConfirmed>(OrdersTopics.Order)), generated);

        // assert
        Assert.Equal(committed, generated);
    }

    [Fact]
    public void OrderRejected_Should_MatchCommittedSchema_When_GeneratedFromRecord()
    {
        // arrange
        var generated = EventContract.Generate(OrdersTopics.Order, OrderRejected.From(Sample, SettledAt, "The test card declines charges above $50.00."));

        // act
        var committed = ReadOrUpdate(Path.Combine(RepositoryPaths.Root, EventContract.RelativePath<OrderRejected>(OrdersTopics.Order)), generated);

        // assert
        Assert.Equal(committed, generated);
    }

    [Fact]
    public void OrderConfirmed_Should_ListEachProductOnce_When_AProductHasTwoLines()
    {
        // arrange
        var order = new Order { Id = 5, UserId = 2, Total = 3m, Lines = [new OrderLine { ProductId = 9, Quantity = 1 }, new OrderLine { ProductId = 3, Quantity = 1 }, new OrderLine { ProductId = 9, Quantity = 2 }] };

        // act
        var confirmed = OrderConfirmed.From(order, SettledAt);

        // assert
        Assert.Equal([3, 9], confirmed.ProductIds);
    }

    private static string ReadOrUpdate(string path, string generated)
    {
        if (Environment.GetEnvironmentVariable("FEDERATION_UPDATE_EVENT_CONTRACTS") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, generated);
        }
        return File.Exists(path) ? File.ReadAllText(path) : "(missing)";
    }

    [Theory]
    [InlineData("""{"orderId":1,"userId":2,"total":3.5,"placedAt":"2026-01-01T00:00:00+00:00","lines":[{"productId":1,"quantity":1,"unitPrice":3.5}],"subtotal":3.5,"shippingCost":0,"tax":0,"shippingMethod":"Standard","shipToCountry":"US","card":{"brand":"Visa","last4":"4242"}}""", true)]
    [InlineData("""{"orderId":1,"userId":2,"total":3.5,"placedAt":"2026-01-01T00:00:00+00:00","lines":[{"productId":1,"quantity":1,"unitPrice":3.5}],"subtotal":3.5,"shippingCost":0,"tax":0,"shippingMethod":"Standard","shipToCountry":"US","card":{"brand":"Visa"}}""", false)]
    [InlineData("""{"orderId":1,"userId":2,"total":3.5,"placedAt":"2026-01-01T00:00:00+00:00","lines":[{"productId":1,"unitPrice":3.5}]}""", false)]
    [InlineData("""{"orderId":1,"userId":2,"total":3.5,"placedAt":"2026-01-01T00:00:00+00:00"}""", false)]
    public void OrderPlaced_Should_ValidateAgainstCommittedSchema_When_PayloadGiven(string json, bool valid)
    {
        // arrange
        var schema = JsonSchema.FromText(File.ReadAllText(ContractPath), new BuildOptions { SchemaRegistry = new SchemaRegistry() }, new Uri("https://federation.example/schema/events/"));

        // act
        var result = schema.Evaluate(JsonDocument.Parse(json).RootElement);

        // assert
        Assert.Equal(valid, result.IsValid);
    }
}
