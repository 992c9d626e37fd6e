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

public sealed class TestCardProviderTests
{
    [Theory]
    [InlineData("0002", "Your card was declined by its bank. Try another card.")]
    [InlineData("9995", "Your card has insufficient funds. Try another card.")]
    public void DeclineReason_Should_GiveTheShopperAReason_When_ADeclineTestCardIsCharged(string last4, string reason)
    {
        // act
        var actual = TestCardProvider.DeclineReason(last4);

        // assert
        Assert.Equal(reason, actual);
    }

    [Theory]
    [InlineData("4242")]
    [InlineData("4444")]
    [InlineData(null)]
    public void DeclineReason_Should_BeNull_When_TheCardIsApprovedOrPredatesCards(string? last4)
    {
        // act
        var actual = TestCardProvider.DeclineReason(last4);

        // assert
        Assert.Null(actual);
    }
}
