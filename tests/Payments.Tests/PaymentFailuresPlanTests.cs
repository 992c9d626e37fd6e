namespace Payments.Tests;

/// <summary>The plan of a paymentFailures page after a cursor, on the seeded payments: the statement EF sends for it.</summary>
[Collection(PaymentsCollection.Name)]
public sealed class PaymentFailuresPlanTests(PaymentsFixture fixture)
{
    [Fact]
    public async Task PaymentFailuresPage_Should_ReadThePartialIndexBackwardWithoutSorting_When_AfterACursor()
    {
        // act
        var plan = await fixture.PlanAsync("payments", """
            SELECT * FROM payments AS p
            WHERE p.status = 'Failed' AND (p.created_at, p.id) < (@at, @id)
            ORDER BY p.created_at DESC, p.id DESC LIMIT 26
            """, new Dictionary<string, object> { ["at"] = DateTimeOffset.UtcNow, ["id"] = int.MaxValue });

        // assert
        Assert.True(plan.Contains("Index Scan Backward using ix_payments_failed_created_at_id", StringComparison.Ordinal), plan);
        Assert.False(plan.Contains("Sort", StringComparison.Ordinal), plan);
    }
}
