using System.Globalization;

namespace Federation.Subgraph.Data;

/// <summary>
/// Amounts in the texts services write (notifications, payment decline reasons), formatted as the web app formats every price (Intl.NumberFormat en-US,
/// USD): a dollar sign, thousands separated by commas, two decimals ("$1,232.47", "-$5.00").
/// </summary>
public static class MoneyText
{
    public static string Format(decimal amount) =>
        (amount < 0 ? "-$" : "$") + Math.Abs(decimal.Round(amount, 2, MidpointRounding.AwayFromZero)).ToString("#,##0.00", CultureInfo.InvariantCulture);
}
