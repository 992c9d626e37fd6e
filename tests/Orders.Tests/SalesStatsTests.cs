using System.Text.Json.Nodes;
using Federation.Testing.Security;
using Npgsql;

namespace Orders.Tests;

[Collection(OrdersCollection.Name)]
public sealed class SalesStatsTests(OrdersFixture fixture)
{
    private const string Sales = """
        query Sales($minutes: Int!, $bucketMinutes: Int!) {
          salesStats(minutes: $minutes, bucketMinutes: $bucketMinutes) {
            minutes bucketMinutes placed pending confirmed rejected revenue averageOrderValue
            buckets { start placed confirmed rejected revenue }
          }
        }
        """;

    [Fact]
    public async Task SalesStats_Should_SumConfirmedTotalsPerBucket_When_OrdersInsertedInTheWindow()
    {
        // arrange
        var before = Buckets((await fixture.Orders.DataAsync(TestCaller.Admin, Sales, new { minutes = 60, bucketMinutes = 5 }))["salesStats"]!);
        var inserted = await InsertAsync(("Confirmed", 20.00m, TimeSpan.Zero), ("Confirmed", 30.50m, TimeSpan.Zero), ("Rejected", 99.00m, TimeSpan.Zero),
            ("Placed", 5.00m, TimeSpan.Zero), ("Confirmed", 41.25m, TimeSpan.FromMinutes(-17)), ("Confirmed", 1000m, TimeSpan.FromHours(-3)));

        // act
        var stats = (await fixture.Orders.DataAsync(TestCaller.Admin, Sales, new { minutes = 60, bucketMinutes = 5 }))["salesStats"]!;

        // assert
        var after = Buckets(stats);
        Assert.Equal(5, stats["bucketMinutes"]!.GetValue<int>());
        Assert.Equal(12, after.Count);
        Assert.All(after, b => Assert.Equal(0, b.Start.ToUnixTimeSeconds() % 300));
        Assert.All(after.Zip(after.Skip(1)), pair => Assert.Equal(TimeSpan.FromMinutes(5), pair.Second.Start - pair.First.Start));
        Assert.Equal(after.Sum(b => b.Placed), stats["placed"]!.GetValue<int>());
        Assert.Equal(after.Sum(b => b.Confirmed), stats["confirmed"]!.GetValue<int>());
        Assert.Equal(after.Sum(b => b.Placed - b.Confirmed - b.Rejected), stats["pending"]!.GetValue<int>());
        Assert.Equal((double)after.Sum(b => b.Revenue), stats["revenue"]!.GetValue<double>(), 2);
        Assert.Equal((double)Math.Round(after.Sum(b => b.Revenue) / after.Sum(b => b.Confirmed), 2, MidpointRounding.AwayFromZero), stats["averageOrderValue"]!.GetValue<double>(), 2);
        // The bucket may roll over between the two queries: compare the buckets both windows cover.
        foreach (var bucket in after.Where(b => before.Any(p => p.Start == b.Start)))
        {
            var previous = before.Single(p => p.Start == bucket.Start);
            var added = inserted.Where(i => Bin(i.PlacedAt, 5) == bucket.Start).ToList();
            Assert.Equal(previous.Placed + added.Count, bucket.Placed);
            Assert.Equal(previous.Rejected + added.Count(i => i.Status == "Rejected"), bucket.Rejected);
            Assert.Equal(previous.Revenue + added.Where(i => i.Status == "Confirmed").Sum(i => i.Total), bucket.Revenue);
        }
        Assert.DoesNotContain(after, b => b.Start == Bin(inserted[^1].PlacedAt, 5));
    }

    [Fact]
    public async Task SalesStats_Should_ReturnDayBucketsFromMidnight_When_ThirtyDaysAsked()
    {
        // arrange
        var before = (await fixture.Orders.DataAsync(TestCaller.Admin, Sales, new { minutes = 43_200, bucketMinutes = 1440 }))["salesStats"]!;
        var inserted = await InsertAsync(("Confirmed", 77.70m, TimeSpan.FromDays(-12)));

        // act
        var stats = (await fixture.Orders.DataAsync(TestCaller.Admin, Sales, new { minutes = 43_200, bucketMinutes = 1440 }))["salesStats"]!;

        // assert
        var buckets = Buckets(stats);
        Assert.Equal(30, buckets.Count);
        Assert.All(buckets, b => Assert.Equal(TimeSpan.Zero, b.Start.UtcDateTime.TimeOfDay));
        var day = buckets.Single(b => b.Start == Bin(inserted[0].PlacedAt, 1440));
        var dayBefore = Buckets(before).Single(b => b.Start == day.Start);
        Assert.Equal(dayBefore.Revenue + 77.70m, day.Revenue);
        Assert.True(stats["revenue"]!.GetValue<double>() >= 77.70);
    }

    [Theory]
    [InlineData(0, 1, "'minutes' must be between 1 and 43200")]
    [InlineData(43_201, 1440, "'minutes' must be between 1 and 43200")]
    [InlineData(60, 7, "'bucketMinutes' must be at least 1 and divide 'minutes'")]
    [InlineData(60, 0, "'bucketMinutes' must be at least 1 and divide 'minutes'")]
    [InlineData(43_200, 60, "at most 200 buckets")]
    public async Task SalesStats_Should_ReturnBadUserInput_When_WindowInvalid(int minutes, int bucketMinutes, string message)
    {
        // act
        var response = await fixture.Orders.QueryAsync(TestCaller.Admin, Sales, new { minutes, bucketMinutes });

        // assert
        var error = Assert.Single(response["errors"]!.AsArray());
        Assert.Equal("BAD_USER_INPUT", error!["extensions"]!["code"]!.GetValue<string>());
        Assert.Contains(message, error["message"]!.GetValue<string>());
    }

    private sealed record Bucket(DateTimeOffset Start, int Placed, int Confirmed, int Rejected, decimal Revenue);

    private static List<Bucket> Buckets(JsonNode stats) => stats["buckets"]!.AsArray()
        .Select(b => new Bucket(DateTimeOffset.Parse(b!["start"]!.GetValue<string>()), b["placed"]!.GetValue<int>(), b["confirmed"]!.GetValue<int>(),
            b["rejected"]!.GetValue<int>(), Math.Round((decimal)b["revenue"]!.GetValue<double>(), 2)))
        .ToList();

    private static DateTimeOffset Bin(DateTimeOffset at, int minutes)
    {
        var size = minutes * 60L;
        return DateTimeOffset.FromUnixTimeSeconds(at.ToUnixTimeSeconds() / size * size);
    }

    /// <summary>Inserts orders placed at now + offset for a user no seeded order has; returns each one's placed_at.</summary>
    private async Task<List<(string Status, decimal Total, DateTimeOffset PlacedAt)>> InsertAsync(params (string Status, decimal Total, TimeSpan Offset)[] rows)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        var inserted = new List<(string, decimal, DateTimeOffset)>();
        foreach (var (status, total, offset) in rows)
        {
            await using var command = new NpgsqlCommand("""
                INSERT INTO orders (user_id, status, total, placed_at) VALUES (7778, @status, @total, now() + @offset)
                RETURNING placed_at
                """, connection);
            command.Parameters.AddWithValue("status", status);
            command.Parameters.AddWithValue("total", total);
            command.Parameters.AddWithValue("offset", offset);
            inserted.Add((status, total, (DateTimeOffset)(DateTime)(await command.ExecuteScalarAsync())!));
        }
        return inserted;
    }
}
