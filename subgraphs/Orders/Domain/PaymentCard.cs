using Federation.Subgraph.GraphQL;

namespace Orders.Domain;

/// <summary>
/// What is kept of a card: its brand and last four digits. The full number is checked here and goes no further: it is
/// in no table, no event and no log; payments charges by brand and last four (its test provider's rule).
/// </summary>
public sealed record PaymentCard(string Brand, string Last4)
{
    /// <summary>Accepts digits with spaces or dashes between them, 12 to 19 digits that pass the Luhn check.</summary>
    public static (PaymentCard? Card, UserError? Error) Parse(string? number, params string[] path)
    {
        var raw = number ?? "";
        var digits = new string(raw.Where(c => c is not (' ' or '-')).ToArray());
        if (digits.Length is < 12 or > 19 || !digits.All(char.IsAsciiDigit))
            return (null, UserError.Validation("The card number must be 12 to 19 digits (spaces allowed).", path));
        if (!PassesLuhn(digits))
            return (null, UserError.Validation("This card number is mistyped: its check digit does not match.", path));
        return (new PaymentCard(BrandOf(digits), digits[^4..]), null);
    }

    private static bool PassesLuhn(string digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = digits[digits.Length - 1 - i] - '0';
            if (i % 2 == 1)
                d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            sum += d;
        }
        return sum % 10 == 0;
    }

    private static string BrandOf(string digits)
    {
        var two = int.Parse(digits[..2], System.Globalization.CultureInfo.InvariantCulture);
        var four = int.Parse(digits[..4], System.Globalization.CultureInfo.InvariantCulture);
        return digits[0] switch
        {
            '4' => "Visa",
            _ when two is >= 51 and <= 55 || four is >= 2221 and <= 2720 => "Mastercard",
            _ when two is 34 or 37 => "American Express",
            _ when digits.StartsWith("6011", StringComparison.Ordinal) || two == 65 => "Discover",
            _ => "Card",
        };
    }
}
