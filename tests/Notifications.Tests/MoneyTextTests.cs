using System.Text.RegularExpressions;
using Notifications.Data;

namespace Notifications.Tests;

/// <summary>
/// The texts notifications writes show amounts as the web app shows prices (Intl.NumberFormat en-US, USD); web/test/format.test.ts
/// checks formatPrice against the same table.
/// </summary>
public sealed partial class MoneyTextTests
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
        var text = MoneyText.Format(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture));

        // assert
        Assert.Equal(expected, text);
    }

    [Fact]
    public void Seed_Should_WriteAmountsWithThousandsSeparators_When_OrdersCostOverAThousand()
    {
        // act
        var amounts = NotificationsSeed.CreateNotifications().Select(n => AmountInText().Match(n.Message)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToList();

        // assert
        Assert.NotEmpty(amounts);
        Assert.All(amounts, a => Assert.Matches(@"^\$\d{1,3}(,\d{3})*\.\d{2}$", a));
        Assert.Contains(amounts, a => a.Contains(','));
    }

    [GeneratedRegex(@"\((\$[^)]*)\)")]
    private static partial Regex AmountInText();
}
