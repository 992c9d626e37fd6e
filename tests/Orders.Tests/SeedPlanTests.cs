using Federation.Subgraph.Seeding;

namespace Orders.Tests;

/// <summary>The shared history orders, payments and reviews seed from; no I/O.</summary>
public sealed class SeedPlanTests
{
    [Fact]
    public void Orders_Should_StayWithinSeededUsersAndProducts_When_Generated()
    {
        // act
        var orders = SeedPlan.Orders;

        // assert
        Assert.Equal(Enumerable.Range(1, SeedPlan.OrderCount), orders.Select(o => o.Id));
        Assert.All(orders, o =>
        {
            Assert.InRange(o.UserId, 1, SeedPlan.UserCount);
            Assert.NotEmpty(o.Lines);
            Assert.Equal(o.Lines.Count, o.Lines.Select(l => l.ProductId).Distinct().Count());
            Assert.All(o.Lines, l =>
            {
                Assert.InRange(l.ProductId, 1, SeedPlan.ProductCount);
                Assert.InRange(l.Quantity, 1, SeedPlan.MaxQuantity);
                Assert.InRange(l.UnitPrice, 0.01m, SeedPlan.ProductPrice(l.ProductId));
            });
        });
        Assert.True(orders.Zip(orders.Skip(1)).All(p => p.First.PlacedAt < p.Second.PlacedAt), "ids grow with placedAt");
        Assert.Equal(SeedPlan.UserCount, orders.Select(o => o.UserId).Distinct().Count());
        Assert.Contains(orders, o => o.Status == SeedOrderStatus.Rejected);
    }

    [Fact]
    public void Purchases_Should_LeaveRoomForTwoThousandReviews_When_OnlyConfirmedOrdersCount()
    {
        // act
        var purchases = SeedPlan.Purchases().ToList();

        // assert
        Assert.True(purchases.Count >= 2000, $"{purchases.Count} distinct purchases");
        Assert.Equal(purchases.Count, purchases.Select(p => (p.UserId, p.ProductId)).Distinct().Count());
        var rejectedOnly = SeedPlan.Orders.Where(o => o.Status == SeedOrderStatus.Rejected)
            .SelectMany(o => o.Lines.Select(l => (o.UserId, l.ProductId)))
            .Except(SeedPlan.Orders.Where(o => o.Status == SeedOrderStatus.Confirmed).SelectMany(o => o.Lines.Select(l => (o.UserId, l.ProductId))))
            .ToHashSet();
        Assert.DoesNotContain(purchases, p => rejectedOnly.Contains((p.UserId, p.ProductId)));
    }

    [Fact]
    public void ProductPrice_Should_EndInNinetyNineOrFortyNine_When_ProductSeeded()
    {
        // act
        var prices = Enumerable.Range(1, SeedPlan.ProductCount).Select(SeedPlan.ProductPrice).ToList();

        // assert
        Assert.All(prices, p => Assert.Contains(p % 1, new[] { 0.99m, 0.49m }));
        Assert.Throws<ArgumentOutOfRangeException>(() => SeedPlan.ProductPrice(501));
    }
}
