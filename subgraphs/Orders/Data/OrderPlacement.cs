using System.Globalization;
using Federation.Subgraph.GraphQL;
using Federation.Subgraph.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;
using Orders.Domain;
using Orders.Events;

namespace Orders.Data;

public sealed record PlaceOrderResult(Order? Order, IReadOnlyList<UserError> Errors);

/// <summary>What an order of these lines, to this address, by this method would cost now.</summary>
public sealed record CheckoutQuote(IReadOnlyList<OrderLine> Lines, ShippingMethod ShippingMethod, CheckoutAmounts Amounts);

public static class OrderPlacement
{
    /// <summary>
    /// Insert-or-get on the idempotency key in one transaction. <c>ON CONFLICT DO NOTHING</c> makes a
    /// concurrent request with the same key wait for the first one's commit and then insert nothing, so it
    /// reads the committed order instead of creating a second one; the lines go in with the order or not at all.
    /// </summary>
    /// <summary>Prices the lines from the catalog read model and adds shipping and tax; NOT_FOUND errors for unknown products.</summary>
    public static async Task<(CheckoutQuote? Quote, List<UserError> Errors)> QuoteAsync(OrdersDbContext db, CheckoutRequest request, CancellationToken cancellationToken)
    {
        var productIds = request.Lines.Select(l => l.ProductId).ToArray();
        var prices = await db.Products.AsNoTracking().Where(p => productIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Price, cancellationToken);
        var errors = new List<UserError>();
        for (var i = 0; i < request.Lines.Count; i++)
        {
            if (!prices.ContainsKey(request.Lines[i].ProductId))
                errors.Add(UserError.NotFound($"Product {request.Lines[i].ProductId} does not exist.", "input", "lines", i.ToString(CultureInfo.InvariantCulture), "productId"));
        }
        if (errors.Count > 0)
            return (null, errors);

        var lines = request.Lines.Select(l => new OrderLine { ProductId = l.ProductId, Quantity = l.Quantity, UnitPrice = prices[l.ProductId] }).ToList();
        return (new CheckoutQuote(lines, request.ShippingMethod, CheckoutAmounts.Compute(lines, request.ShippingMethod, request.TaxRate)), errors);
    }

    /// <summary>
    /// Insert-or-get on the idempotency key in one transaction. <c>ON CONFLICT DO NOTHING</c> makes a
    /// concurrent request with the same key wait for the first one's commit and then insert nothing, so it
    /// reads the committed order instead of creating a second one; the lines go in with the order or not at all.
    /// </summary>
    public static async Task<PlaceOrderResult> PlaceAsync(OrdersDbContext db, PlaceOrderRequest request, CancellationToken cancellationToken)
    {
        var (quote, errors) = await QuoteAsync(db, request.Checkout, cancellationToken);
        if (quote is null)
            return new PlaceOrderResult(null, errors);

        var lines = quote.Lines;
        var amounts = quote.Amounts;
        var address = ShippingAddress.From(request.Checkout.ShippingAddress);
        var method = request.Checkout.ShippingMethod.ToString();
        // PostgreSQL keeps microseconds; truncate so cursors built from this value match the stored row.
        var now = DateTimeOffset.UtcNow;
        var placedAt = now.AddTicks(-(now.Ticks % 10));
        var fingerprint = request.Fingerprint;
        var status = nameof(OrderStatus.Placed);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var inserted = await db.Database.SqlQuery<int>($"""
            INSERT INTO orders (user_id, status, subtotal, shipping_cost, tax, total, shipping_method,
                shipping_address_name, shipping_address_line1, shipping_address_line2, shipping_address_city,
                shipping_address_region, shipping_address_postal_code, shipping_address_country,
                card_brand, card_last4, placed_at, idempotency_key, request_fingerprint)
            VALUES ({request.UserId}, {status}, {amounts.Subtotal}, {amounts.Shipping}, {amounts.Tax}, {amounts.Total}, {method},
                {address.Name}, {address.Line1}, {address.Line2}, {address.City},
                {address.Region}, {address.PostalCode}, {address.Country},
                {request.Card.Brand}, {request.Card.Last4}, {placedAt}, {request.IdempotencyKey}, {fingerprint})
            ON CONFLICT (idempotency_key) DO NOTHING
            RETURNING id AS "Value"
            """).ToListAsync(cancellationToken);

        if (inserted is [var orderId])
        {
            foreach (var line in lines)
                line.OrderId = orderId;
            db.OrderLines.AddRange(lines);
            var order = new Order
            {
                Id = orderId, UserId = request.UserId, Status = OrderStatus.Placed, Subtotal = amounts.Subtotal, ShippingCost = amounts.Shipping,
                Tax = amounts.Tax, Total = amounts.Total, ShippingMethod = request.Checkout.ShippingMethod, ShippingAddress = address,
                CardBrand = request.Card.Brand, CardLast4 = request.Card.Last4, PlacedAt = placedAt, IdempotencyKey = request.IdempotencyKey, Lines = [.. lines],
            };
            // Only the request that inserted the order publishes it: a replayed idempotency key publishes nothing.
            Outbox.Add(db, OrdersTopics.Order, orderId.ToString(CultureInfo.InvariantCulture), OrderPlaced.From(order));
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new PlaceOrderResult(order, []);
        }

        var existing = await db.Orders.AsNoTracking().SingleAsync(o => o.IdempotencyKey == request.IdempotencyKey, cancellationToken);
        await transaction.RollbackAsync(cancellationToken);
        return existing.RequestFingerprint == fingerprint
            ? new PlaceOrderResult(existing, [])
            : new PlaceOrderResult(null, [UserError.Conflict("This idempotency key was already used for a different order.", "idempotencyKey")]);
    }
}
