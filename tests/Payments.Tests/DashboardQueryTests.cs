using System.Text.Json.Nodes;
using Federation.Subgraph.Seeding;
using Federation.Testing.Security;
using Federation.Testing.Subgraphs;
using Npgsql;

namespace Payments.Tests;

[Collection(PaymentsCollection.Name)]
public sealed class DashboardQueryTests(PaymentsFixture fixture)
{
    private const string Stats = """
        query Stats($minutes: Int) { paymentStats(minutes: $minutes) { minutes succeeded failed succeededAmount failedAmount failureRate } }
        """;

    private const string Failures = """
        query Failures($first: Int) { recentPaymentFailures(first: $first) { id amount method status createdAt order { id } } }
        """;

    private const string FailedNewestFirst = "SELECT id FROM payments WHERE status = 'Failed' ORDER BY created_at DESC, id DESC";

    private const string FailurePage = """
        query Page($first: Int, $after: String) {
          paymentFailures(first: $first, after: $after) {
            totalCount
            edges { cursor node { id status createdAt } }
            pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
          }
        }
        """;

    [Fact]
    public async Task PaymentStats_Should_CountOnlyPaymentsInWindow_When_PaymentsInsertedNowAndLongAgo()
    {
        // arrange
        var before = (await fixture.Payments.DataAsync(TestCaller.Admin, Stats, new { minutes = 5 }))["paymentStats"]!;
        await InsertAsync(("Succeeded", 10.50m, TimeSpan.Zero), ("Succeeded", 4.25m, TimeSpan.FromMinutes(-1)), ("Failed", 99.99m, TimeSpan.Zero), ("Failed", 1m, TimeSpan.FromMinutes(-30)));

        // act
        var after = (await fixture.Payments.DataAsync(TestCaller.Admin, Stats, new { minutes = 5 }))["paymentStats"]!;

        // assert
        Assert.Equal(5, after["minutes"]!.GetValue<int>());
        Assert.Equal(2, Delta(before, after, "succeeded"));
        Assert.Equal(1, Delta(before, after, "failed"));
        Assert.Equal(14.75, Delta(before, after, "succeededAmount"), 2);
        Assert.Equal(99.99, Delta(before, after, "failedAmount"), 2);
        var failed = after["failed"]!.GetValue<int>();
        var succeeded = after["succeeded"]!.GetValue<int>();
        Assert.Equal(Math.Round((double)failed / (failed + succeeded), 4), after["failureRate"]!.GetValue<double>(), 6);
    }

    [Fact]
    public async Task PaymentStats_Should_CountDaysOldPayments_When_WindowIsThirtyDays()
    {
        // arrange
        var day = (await fixture.Payments.DataAsync(TestCaller.Admin, Stats, new { minutes = 1440 }))["paymentStats"]!;
        var month = (await fixture.Payments.DataAsync(TestCaller.Admin, Stats, new { minutes = 43_200 }))["paymentStats"]!;
        await InsertAsync(("Failed", 3m, TimeSpan.FromDays(-10)), ("Succeeded", 5m, TimeSpan.FromDays(-10)));

        // act
        var dayAfter = (await fixture.Payments.DataAsync(TestCaller.Admin, Stats, new { minutes = 1440 }))["paymentStats"]!;
        var monthAfter = (await fixture.Payments.DataAsync(TestCaller.Admin, Stats, new { minutes = 43_200 }))["paymentStats"]!;

        // assert: other tests only add payments near now, which both windows see alike
        Assert.Equal(43_200, monthAfter["minutes"]!.GetValue<int>());
        Assert.Equal(Delta(day, dayAfter, "failed") + 1, Delta(month, monthAfter, "failed"));
        Assert.Equal(Delta(day, dayAfter, "succeededAmount") + 5, Delta(month, monthAfter, "succeededAmount"), 2);
    }

    [Fact]
    public async Task PaymentStats_Should_DefaultToSixtyMinutes_When_MinutesOmitted()
    {
        // act
        var stats = (await fixture.Payments.DataAsync(TestCaller.Admin, "{ paymentStats { minutes } }"))["paymentStats"]!;

        // assert
        Assert.Equal(60, stats["minutes"]!.GetValue<int>());
    }

    [Fact]
    public async Task RecentPaymentFailures_Should_ReturnNewestFailuresFirst_When_FailuresInserted()
    {
        // arrange: in the future, so they are newer than anything seeded or inserted by other tests
        var ids = await InsertAsync(("Failed", 7m, TimeSpan.FromDays(1)), ("Succeeded", 8m, TimeSpan.FromDays(1) + TimeSpan.FromSeconds(30)), ("Failed", 9m, TimeSpan.FromDays(1) + TimeSpan.FromSeconds(10)));

        // act
        var failures = (await fixture.Payments.DataAsync(TestCaller.Admin, Failures, new { first = 2 }))["recentPaymentFailures"]!.AsArray();

        // assert
        Assert.Equal([ids[2].Id, ids[0].Id], failures.Select(f => int.Parse(f!["id"]!.GetValue<string>())));
        Assert.All(failures, f => Assert.Equal("FAILED", f!["status"]!.GetValue<string>()));
        Assert.Equal(9.0, failures[0]!["amount"]!.GetValue<double>());
        Assert.Equal("CARD", failures[0]!["method"]!.GetValue<string>());
        Assert.Equal(ids[2].OrderId.ToString(), failures[0]!["order"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task RecentPaymentFailures_Should_ReturnSeededFailures_When_OnlySeededHistoryCounts()
    {
        // act
        var failures = (await fixture.Payments.DataAsync(TestCaller.Admin, Failures, new { first = 100 }))["recentPaymentFailures"]!.AsArray();

        // assert: rows other tests insert use order ids past the seed, so the seeded failures in the page are a prefix of the seed's, newest first
        var seeded = failures.Select(f => f!["order"]!["id"]!.GetValue<string>()).Where(id => int.Parse(id) <= SeedPlan.OrderCount).ToList();
        var expected = SeedPlan.Orders.Where(o => o.Status != SeedOrderStatus.Confirmed)
            .OrderByDescending(o => o.PlacedAt).ThenByDescending(o => o.Id)
            .Select(o => o.Id.ToString()).Take(seeded.Count).ToList();
        Assert.True(seeded.Count > 50, "most of the page is seeded history");
        Assert.Equal(expected, seeded);
    }

    [Fact]
    public async Task PaymentFailures_Should_PageThroughEveryFailureNewestFirst_When_WalkedWithEndCursors()
    {
        // arrange: three declines that share one timestamp, so only the id orders them; older than the seed, as other tests look for their own rows at the top
        var tied = await InsertAsync(("Failed", 1m, TimeSpan.Zero), ("Failed", 2m, TimeSpan.Zero), ("Failed", 3m, TimeSpan.Zero));
        await using (var connection = new NpgsqlConnection(fixture.ConnectionString))
        {
            await connection.OpenAsync();
            await using var align = new NpgsqlCommand("UPDATE payments SET created_at = '2021-06-01 12:00:00+00' WHERE id = ANY(@ids)", connection);
            align.Parameters.AddWithValue("ids", tied.Select(t => t.Id).ToArray());
            await align.ExecuteNonQueryAsync();
        }
        var expected = await fixture.IdsAsync(FailedNewestFirst);

        // act
        var pages = await Connections.WalkAsync(async after => (await fixture.Payments.DataAsync(TestCaller.Admin, FailurePage, new { first = 7, after }))["paymentFailures"]!);
        var walked = pages.SelectMany(p => p["edges"]!.AsArray().Select(e => int.Parse(e!["node"]!["id"]!.GetValue<string>()))).ToList();

        // assert
        Assert.Equal(expected, walked);
        Assert.All(pages, p => Assert.Equal(expected.Count, p["totalCount"]!.GetValue<int>()));
        Assert.Equal(pages.Select((_, i) => i > 0), pages.Select(p => p["pageInfo"]!["hasPreviousPage"]!.GetValue<bool>()));
        Assert.Equal((expected.Count + 6) / 7, pages.Count);
        Assert.Equal([tied[2].Id, tied[1].Id, tied[0].Id], walked.Skip(walked.IndexOf(tied[2].Id)).Take(3));
    }

    [Fact]
    public async Task PaymentFailures_Should_ReturnAnEmptyPage_When_FirstIsZero()
    {
        // act
        var page = (await fixture.Payments.DataAsync(TestCaller.Admin, FailurePage, new { first = 0 }))["paymentFailures"]!;

        // assert
        Assert.Empty(page["edges"]!.AsArray());
        Assert.Equal((await fixture.IdsAsync(FailedNewestFirst)).Count, page["totalCount"]!.GetValue<int>());
        Assert.False(page["pageInfo"]!["hasNextPage"]!.GetValue<bool>());
        Assert.Null(page["pageInfo"]!["endCursor"]);
    }

    [Theory]
    [InlineData("not a cursor")]
    [InlineData("MTIzNDU=")]
    [InlineData("eWVzdGVyZGF5HzQy")]
    public async Task PaymentFailures_Should_ReturnBadCursor_When_AfterIsNotACursor(string after)
    {
        // act
        var response = await fixture.Payments.QueryAsync(TestCaller.Admin, FailurePage, new { first = 5, after });

        // assert
        Assert.Equal(["BAD_CURSOR"], response.ErrorCodes());
        Assert.Null(response["data"]);
    }

    [Theory]
    [InlineData("{ paymentStats(minutes: 0) { failed } }")]
    [InlineData("{ paymentStats(minutes: 43201) { failed } }")]
    [InlineData("{ recentPaymentFailures(first: -1) { id } }")]
    [InlineData("{ recentPaymentFailures(first: 101) { id } }")]
    [InlineData("{ paymentFailures(first: -1) { totalCount } }")]
    [InlineData("{ paymentFailures(first: 101) { totalCount } }")]
    public async Task DashboardQueries_Should_ReturnBadUserInput_When_ArgumentOutOfRange(string query)
    {
        // act
        var response = await fixture.Payments.QueryAsync(TestCaller.Admin, query);

        // assert
        var error = Assert.Single(response["errors"]!.AsArray());
        Assert.Equal("BAD_USER_INPUT", error!["extensions"]!["code"]!.GetValue<string>());
    }

    private static double Delta(JsonNode before, JsonNode after, string field) =>
        after[field]!.GetValue<double>() - before[field]!.GetValue<double>();

    /// <summary>Inserts payments created at now + offset, for order ids no seeded order uses.</summary>
    private async Task<List<(int Id, int OrderId)>> InsertAsync(params (string Status, decimal Amount, TimeSpan Offset)[] rows)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        var ids = new List<(int Id, int OrderId)>();
        foreach (var (status, amount, offset) in rows)
        {
            await using var command = new NpgsqlCommand("""
                INSERT INTO payments (order_id, amount, status, method, created_at)
                VALUES ((SELECT coalesce(max(order_id), 900000) + 1 FROM payments WHERE order_id > 900000), @amount, @status, 'Card', now() + @offset)
                RETURNING id, order_id
                """, connection);
            command.Parameters.AddWithValue("amount", amount);
            command.Parameters.AddWithValue("status", status);
            command.Parameters.AddWithValue("offset", offset);
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            ids.Add((reader.GetInt32(0), reader.GetInt32(1)));
        }
        return ids;
    }
}
