using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Federation.Subgraph.GraphQL;

namespace Orders.Domain;

public sealed record PlaceOrderInput(List<PlaceOrderLineInput> Lines);

public sealed record PlaceOrderLineInput(string ProductId, int Quantity);

/// <summary>A placeOrder request that passed every check that needs no database.</summary>
public sealed record PlaceOrderRequest(int UserId, IReadOnlyList<(int ProductId, int Quantity)> Lines, string IdempotencyKey)
{
    public const int MaxLines = 50;

    /// <summary>Same user and same lines in any order give the same fingerprint.</summary>
    public string Fingerprint
    {
        get
        {
            var canonical = UserId.ToString(CultureInfo.InvariantCulture) + ":" +
                string.Join(',', Lines.OrderBy(l => l.ProductId).Select(l => $"{l.ProductId}x{l.Quantity}"));
            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
        }
    }

    /// <param name="userId">The signed-in caller, never an input: a shopper orders only for themselves.</param>
    public static (PlaceOrderRequest? Request, List<UserError> Errors) Validate(int userId, PlaceOrderInput input, string idempotencyKey)
    {
        var errors = new List<UserError>();
        if (string.IsNullOrWhiteSpace(idempotencyKey) || idempotencyKey.Length > Order.IdempotencyKeyMaxLength)
            errors.Add(UserError.Validation($"The idempotency key must be 1 to {Order.IdempotencyKeyMaxLength} characters, not blank.", "idempotencyKey"));

        var lines = new List<(int ProductId, int Quantity)>();
        if (input.Lines.Count == 0)
            errors.Add(UserError.Validation("An order needs at least one line.", "input", "lines"));
        else if (input.Lines.Count > MaxLines)
            errors.Add(UserError.Validation($"An order has at most {MaxLines} lines.", "input", "lines"));
        else
        {
            var seen = new HashSet<int>();
            for (var i = 0; i < input.Lines.Count; i++)
            {
                var line = input.Lines[i];
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
        return errors.Count > 0 ? (null, errors) : (new PlaceOrderRequest(userId, lines, idempotencyKey), errors);
    }
}
