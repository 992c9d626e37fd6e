using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Federation.Subgraph.GraphQL;

namespace Orders.Domain;

public sealed record PlaceOrderInput(List<PlaceOrderLineInput> Lines, PostalAddress ShippingAddress, ShippingMethod ShippingMethod, PaymentCardInput Payment);

public sealed record CheckoutQuoteInput(List<PlaceOrderLineInput> Lines, PostalAddress ShippingAddress, ShippingMethod ShippingMethod);

public sealed record PaymentCardInput(string CardNumber);

public sealed record PlaceOrderLineInput(string ProductId, int Quantity);

/// <summary>Lines, address and method that passed every check that needs no database: what a quote or an order is priced from.</summary>
public sealed record CheckoutRequest(IReadOnlyList<(int ProductId, int Quantity)> Lines, PostalAddress ShippingAddress, ShippingMethod ShippingMethod, decimal TaxRate)
{
    public static (CheckoutRequest? Request, List<UserError> Errors) Validate(List<PlaceOrderLineInput> inputLines, PostalAddress inputAddress, ShippingMethod method)
    {
        var errors = new List<UserError>();
        var lines = PlaceOrderRequest.ValidateLines(inputLines, errors);
        var (address, addressErrors) = PostalAddress.Validate(inputAddress, "input", "shippingAddress");
        errors.AddRange(addressErrors);
        decimal? rate = null;
        if (address is not null)
        {
            (rate, var rateError) = TaxRates.For(address, "input", "shippingAddress");
            if (rateError is not null)
                errors.Add(rateError);
        }
        return errors.Count > 0 ? (null, errors) : (new CheckoutRequest(lines, address!, method, rate!.Value), errors);
    }
}

/// <summary>A placeOrder request that passed every check that needs no database.</summary>
public sealed record PlaceOrderRequest(int UserId, CheckoutRequest Checkout, PaymentCard Card, string IdempotencyKey)
{
    public IReadOnlyList<(int ProductId, int Quantity)> Lines => Checkout.Lines;

    public const int MaxLines = 50;

    /// <summary>Same user and same lines in any order give the same fingerprint.</summary>
    public string Fingerprint
    {
        get
        {
            var a = Checkout.ShippingAddress;
            var canonical = UserId.ToString(CultureInfo.InvariantCulture) + ":" +
                string.Join(',', Lines.OrderBy(l => l.ProductId).Select(l => $"{l.ProductId}x{l.Quantity}")) + ":" +
                string.Join('\u001f', a.Name, a.Line1, a.Line2, a.City, a.Region, a.PostalCode, a.Country) + ":" +
                Checkout.ShippingMethod + ":" + Card.Brand + Card.Last4;
            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
        }
    }

    /// <param name="userId">The signed-in caller, never an input: a shopper orders only for themselves.</param>
    public static (PlaceOrderRequest? Request, List<UserError> Errors) Validate(int userId, PlaceOrderInput input, string idempotencyKey)
    {
        var errors = new List<UserError>();
        if (string.IsNullOrWhiteSpace(idempotencyKey) || idempotencyKey.Length > Order.IdempotencyKeyMaxLength)
            errors.Add(UserError.Validation($"The idempotency key must be 1 to {Order.IdempotencyKeyMaxLength} characters, not blank.", "idempotencyKey"));
        var (checkout, checkoutErrors) = CheckoutRequest.Validate(input.Lines, input.ShippingAddress, input.ShippingMethod);
        errors.AddRange(checkoutErrors);
        var (card, cardError) = PaymentCard.Parse(input.Payment.CardNumber, "input", "payment", "cardNumber");
        if (cardError is not null)
            errors.Add(cardError);
        return errors.Count > 0 ? (null, errors) : (new PlaceOrderRequest(userId, checkout!, card!, idempotencyKey), errors);
    }

    public static List<(int ProductId, int Quantity)> ValidateLines(List<PlaceOrderLineInput> inputLines, List<UserError> errors)
    {
        var lines = new List<(int ProductId, int Quantity)>();
        if (inputLines.Count == 0)
            errors.Add(UserError.Validation("An order needs at least one line.", "input", "lines"));
        else if (inputLines.Count > MaxLines)
            errors.Add(UserError.Validation($"An order has at most {MaxLines} lines.", "input", "lines"));
        else
        {
            var seen = new HashSet<int>();
            for (var i = 0; i < inputLines.Count; i++)
            {
                var line = inputLines[i];
                var index = i.ToString(CultureInfo.InvariantCulture);
                if (!Ids.TryParse(line.ProductId, out var productId))
                    errors.Add(UserError.Validation($"'{line.ProductId}' is not a product id.", "input", "lines", index, "productId"));
                else if (!seen.Add(productId))
                    errors.Add(UserError.Validation($"Product {productId} appears in more than one line; use one line with the total quantity.", "input", "lines", index, "productId"));
                if (line.Quantity is < OrderLine.MinQuantity or > OrderLine.MaxQuantity)
                    errors.Add(UserError.Validation($"Quantity must be between {OrderLine.MinQuantity} and {OrderLine.MaxQuantity}.", "input", "lines", index, "quantity"));
                lines.Add((productId, line.Quantity));
            }
        }
        return lines;
    }
}
