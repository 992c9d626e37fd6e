using System.Text.Json.Nodes;
using Federation.Testing.Security;
using Npgsql;

namespace Orders.Tests;

[Collection(OrdersCollection.Name)]
public sealed class OrderStatsTests(OrdersFixture fixture)
{
    private const string Stats = """
        query Stats($minutes: Int) { orderStats(minutes: $minutes) { minutes placed confirmed rejected buckets { minute placed confirmed rejected } } }
        """;

    [Fact]
    public async Task OrderStats_Should_CountInsertedOrdersInTheirMinute_When_OrdersPlacedRecently()
    {
        // arrange
        var before = Buckets((await fixture.Orders.DataAsync(TestCaller.Admin, Stats, new { minutes = 5 }))["orderStats"]!);
        var inserted = await InsertAsync(("Placed", TimeSpan.Zero), ("Confirmed", TimeSpan.Zero), ("Rejected", TimeSpan.Zero), ("Confirmed", TimeSpan.FromMinutes(-1)), ("Rejected", TimeSpan.FromMinutes(-20)));
        var capture = await fixture.Orders.CaptureSqlAsync();

        // act
        var stats = (await fixture.Orders.DataAsync(TestCaller.Admin, Stats, new { minutes = 5 }))["orderStats"]!;

        // assert
        var statements = await capture.StatementsAsync();
        Assert.Single(statements, sql => sql.Contains("generate_series", StringComparison.Ordinal));
        var after = Buckets(stats);
        Assert.Equal(5, stats["minutes"]!.GetValue<int>());
        Assert.Equal(5, after.Count);
        Assert.All(after.Zip(after.Skip(1)), pair => Assert.Equal(TimeSpan.FromMinutes(1), pair.Second.Minute - pair.First.Minute));
        Assert.Equal(after.Sum(b => b.Placed), stats["placed"]!.GetValue<int>());
        Assert.Equal(after.Sum(b => b.Confirmed), stats["confirmed"]!.GetValue<int>());
        Assert.Equal(after.Sum(b => b.Rejected), stats["rejected"]!.GetValue<int>());
        // The minute may roll over between the two queries: compare the minutes both windows cover.
        foreach (var bucket in after.Where(b => before.Any(p => p.Minute == b.Minute)))
        {
            var previous = before.Single(p => p.Minute == bucket.Minute);
            var added = inserted.Where(i => i.Minute == bucket.Minute).ToList();
            Assert.Equal(previous.Placed + added.Count, bucket.Placed);
            Assert.Equal(previous.Confirmed + added.Count(i => i.Status == "Confirmed"), bucket.Confirmed);
            Assert.Equal(previous.Rejected + added.Count(i => i.Status == "Rejected"), bucket.Rejected);
        }
        Assert.Contains(after, b => inserted.Any(i => i.Minute == b.Minute && i.Status == "Placed"));
        Assert.True(inserted[^1].Minute < after[0].Minute, "the order placed 20 minutes ago is outside the window");
    }

    [Fact]
    public async Task OrderStats_Should_ReturnSixtyZeroFilledBuckets_When_MinutesOmitted()
    {
        // act
        var stats = (await fixture.Orders.DataAsync(TestCaller.Admin, "{ orderStats { minutes buckets { minute placed } } }"))["orderStats"]!;

        // assert
        Assert.Equal(60, stats["minutes"]!.GetValue<int>());
        Assert.Equal(60, stats["buckets"]!.AsArray().Count);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(1441)]
    public async Task OrderStats_Should_ReturnBadUserInput_When_MinutesOutOfRange(int minutes)
    {
        // act
        var response = await fixture.Orders.QueryAsync(TestCaller.Admin, Stats, new { minutes });

        // assert
        var error = Assert.Single(response["errors"]!.AsArray());
        Assert.Equal("BAD_USER_INPUT", error!["extensions"]!["code"]!.GetValue<string>());
        Assert.Contains("'minutes' must be between 1 and 1440", error["message"]!.GetValue<string>());
    }

    private sealed record Bucket(DateTimeOffset Minute, int Placed, int Confirmed, int Rejected);

    private static List<Bucket> Buckets(JsonNode stats) => stats["buckets"]!.AsArray()
        .Select(b => new Bucket(DateTimeOffset.Parse(b!["minute"]!.GetValue<string>()), b["placed"]!.GetValue<int>(), b["confirmed"]!.GetValue<int>(), b["rejected"]!.GetValue<int>()))
        .ToList();

    /// <summary>Inserts orders placed at now + offset for a user no seeded order has; returns each one's minute as PostgreSQL truncates it.</summary>
    private async Task<List<(string Status, DateTimeOffset Minute)>> InsertAsync(params (string Status, TimeSpan Offset)[] rows)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        var inserted = new List<(string, DateTimeOffset)>();
        foreach (var (status, offset) in rows)
        {
            await using var command = new NpgsqlCommand("""
                INSERT INTO orders (user_id, status, total, placed_at) VALUES (7777, @status, 12.00, now() + @offset)
                RETURNING date_trunc('minute', placed_at)
                """, connection);
            command.Parameters.AddWithValue("status", status);
            command.Parameters.AddWithValue("offset", offset);
            inserted.Add((status, (DateTimeOffset)(DateTime)(await command.ExecuteScalarAsync())!));
        }
        return inserted;
    }
}
