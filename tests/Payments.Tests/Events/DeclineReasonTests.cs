using Payments.Events;

namespace Payments.Tests.Events;

public sealed class DeclineReasonTests
{
    [Fact]
    public void DeclineReason_Should_ShowTheLimitAsTheWebAppShowsPrices_When_TheCardDeclines()
    {
        // act
        var reason = StockReservedHandler.DeclineReason(StockReservedHandler.DefaultTestCardLimit);

        // assert
        Assert.Equal("The test card declines charges above $5,000.00.", reason);
    }
}
