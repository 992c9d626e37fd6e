using Federation.Subgraph.GraphQL;

namespace Orders.Domain;

public enum ShippingMethod
{
    Standard,
    Express,
}

/// <summary>A way to ship, at its price; the server's table is the only source of shipping costs.</summary>
public sealed record ShippingOption(ShippingMethod Method, string Name, decimal Cost, int MinDays, int MaxDays)
{
    public static readonly IReadOnlyList<ShippingOption> All =
    [
        new(ShippingMethod.Standard, "Standard", 4.99m, 5, 7),
        new(ShippingMethod.Express, "Express", 14.99m, 1, 2),
    ];

    public static ShippingOption Of(ShippingMethod method) => All.Single(o => o.Method == method);
}

/// <summary>
/// The sales tax or VAT this store collects, by destination: US sales tax by state (states where it collects none
/// are at 0%), VAT or GST by country elsewhere. It applies to goods and shipping, as VAT does and most US states
/// with a shipping rule do. Destinations outside the table are not shipped to.
/// </summary>
public static class TaxRates
{
    private static readonly Dictionary<string, decimal> UsStates = new(StringComparer.Ordinal)
    {
        ["CA"] = 0.0725m,
        ["FL"] = 0.06m,
        ["IL"] = 0.0625m,
        ["NY"] = 0.04m,
        ["TX"] = 0.0625m,
        ["WA"] = 0.065m,
    };

    private static readonly Dictionary<string, decimal> Countries = new(StringComparer.Ordinal)
    {
        ["CA"] = 0.05m,
        ["DE"] = 0.19m,
        ["FR"] = 0.20m,
        ["GB"] = 0.20m,
        ["NL"] = 0.21m,
    };

    public static IEnumerable<string> ShippingCountries => Countries.Keys.Append("US").Order();

    /// <summary>The rate for a validated address, or an error on its country or region.</summary>
    public static (decimal? Rate, UserError? Error) For(PostalAddress address, params string[] path)
    {
        if (address.Country == "US")
        {
            var state = address.Region?.ToUpperInvariant();
            if (state is null || state.Length != 2 || !state.All(char.IsAsciiLetterUpper))
                return (null, UserError.Validation("A US address needs its state as two letters, e.g. CA.", [.. path, "region"]));
            return (UsStates.GetValueOrDefault(state), null);
        }
        return Countries.TryGetValue(address.Country, out var rate)
            ? (rate, null)
            : (null, UserError.Validation($"We do not ship to {address.Country}; we ship to {string.Join(", ", ShippingCountries)}.", [.. path, "country"]));
    }
}

/// <summary>Every amount of an order, computed here from the catalog read model and the tables above, never from the client.</summary>
public sealed record CheckoutAmounts(decimal Subtotal, decimal Shipping, decimal TaxRate, decimal Tax, decimal Total)
{
    public static CheckoutAmounts Compute(IEnumerable<OrderLine> lines, ShippingMethod method, decimal taxRate)
    {
        var subtotal = lines.Sum(l => l.Quantity * l.UnitPrice);
        var shipping = ShippingOption.Of(method).Cost;
        var tax = Math.Round((subtotal + shipping) * taxRate, 2, MidpointRounding.AwayFromZero);
        return new CheckoutAmounts(subtotal, shipping, taxRate, tax, subtotal + shipping + tax);
    }
}
