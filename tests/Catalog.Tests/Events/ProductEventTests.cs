using System.Text.Json;
using System.Text.Json.Nodes;
using Federation.Testing.Security;
using Npgsql;

namespace Catalog.Tests.Events;

[Collection(CatalogCollection.Name)]
public sealed class ProductEventTests(CatalogFixture fixture)
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Seed_Should_PublishProductCreatedForEverySeededProduct_When_DatabaseIsNew()
    {
        // act
        var rows = await WaitUntilSentAsync("type = 'ProductCreated' AND key::int <= 500", expected: 500);

        // assert
        Assert.Equal(Enumerable.Range(1, 500), rows.Select(r => r.Data["productId"]!.GetValue<int>()).Order());
        Assert.All(rows, r => Assert.Equal(r.Key, r.Data["productId"]!.GetValue<int>().ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task CreateAndUpdateProduct_Should_PublishEventsWithTheSavedState_When_InputValid()
    {
        // arrange
        var name = $"zz-event {Guid.NewGuid():N}";
        var created = await fixture.Catalog.DataAsync(TestCaller.Admin, """
            mutation($input: CreateProductInput!) { createProduct(input: $input) { product { id } errors { code } } }
            """, new { input = new { name, description = "Evented.", price = 12.49, categoryId = "3" } });
        var id = created["createProduct"]!["product"]!["id"]!.GetValue<string>();

        // act
        await fixture.Catalog.DataAsync(TestCaller.Admin, """
            mutation($input: UpdateProductInput!) { updateProduct(input: $input) { product { id } errors { code } } }
            """, new { input = new { id, price = 10.99 } });
        var rows = await WaitUntilSentAsync($"key = '{int.Parse(id, System.Globalization.CultureInfo.InvariantCulture)}'", expected: 2);

        // assert
        Assert.Equal(["ProductCreated", "ProductUpdated"], rows.Select(r => r.Type));
        Assert.Equal(12.49m, rows[0].Data["price"]!.GetValue<decimal>());
        Assert.Equal(10.99m, rows[1].Data["price"]!.GetValue<decimal>());
        Assert.All(rows, r => Assert.Equal(name, r.Data["name"]!.GetValue<string>()));
        Assert.All(rows, r => Assert.Equal(3, r.Data["categoryId"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Mutations_Should_PublishNothing_When_InputInvalidOrNothingChanged()
    {
        // arrange
        var before = await CountAsync("true");

        // act
        await fixture.Catalog.DataAsync(TestCaller.Admin, """
            mutation { createProduct(input: { name: "", description: "zz-none", price: -1, categoryId: "1" }) { errors { code } } }
            """);
        await fixture.Catalog.DataAsync(TestCaller.Admin, """
            mutation { updateProduct(input: { id: "7" }) { product { id } errors { code } } }
            """);

        // assert
        Assert.Equal(before, await CountAsync("true"));
    }

    private async Task<long> CountAsync(string where)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        // The filters are literals written in this file.
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM outbox_messages WHERE {where}", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Waits until the relay has Kafka's acknowledgement (sent_at) for the matching rows, then reads them in commit order.</summary>
    private async Task<List<(string Key, string Type, JsonObject Data)>> WaitUntilSentAsync(string where, int expected)
    {
        var deadline = DateTime.UtcNow + PublishTimeout;
        while (true)
        {
            await using var connection = new NpgsqlConnection(fixture.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"SELECT key, type, data::text, sent_at IS NOT NULL FROM outbox_messages WHERE {where} ORDER BY sequence", connection);
            await using var reader = await command.ExecuteReaderAsync();
            var rows = new List<(string Key, string Type, JsonObject Data, bool Sent)>();
            while (await reader.ReadAsync())
                rows.Add((reader.GetString(0), reader.GetString(1), JsonNode.Parse(reader.GetString(2))!.AsObject(), reader.GetBoolean(3)));
            if (rows.Count == expected && rows.All(r => r.Sent))
                return rows.Select(r => (r.Key, r.Type, r.Data)).ToList();
            Assert.True(DateTime.UtcNow < deadline, $"Expected {expected} sent rows for {where}, found {JsonSerializer.Serialize(rows.Select(r => new { r.Type, r.Sent }))}");
            await Task.Delay(100);
        }
    }
}
