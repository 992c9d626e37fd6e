using System.Globalization;
using Federation.Subgraph.Data;

namespace Subgraph.Tests;

/// <summary>
/// Texts the services write show amounts as the web app shows prices (Intl.NumberFormat en-US, USD);
/// web/test/format.test.ts checks formatPrice against the same table.
/// </summary>
public sealed class MoneyTextTests
{
    [Theory]
    [InlineData("0", "$0.00")]
    [InlineData("54.97", "$54.97")]
    [InlineData("1000", "$1,000.00")]
    [InlineData("1232.47", "$1,232.47")]
    [InlineData("1234567.5", "$1,234,567.50")]
    [InlineData("-5", "-$5.00")]
    public void Format_Should_MatchTheWebAppsPrices_When_GivenAnAmount(string amount, string expected)
    {
        // act
        var text = MoneyText.Format(decimal.Parse(amount, CultureInfo.InvariantCulture));

        // assert
        Assert.Equal(expected, text);
    }
}
