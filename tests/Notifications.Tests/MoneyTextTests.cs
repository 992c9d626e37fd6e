using System.Text.RegularExpressions;
using Notifications.Data;

namespace Notifications.Tests;

/// <summary>The seeded notification texts show amounts as the web app shows prices (the kit's MoneyText).</summary>
public sealed partial class MoneyTextTests
{
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
