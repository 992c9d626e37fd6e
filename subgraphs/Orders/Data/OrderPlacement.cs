using System.Globalization;
using Federation.Subgraph.GraphQL;
using Federation.Subgraph.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;
using Orders.Domain;
using Orders.Events;

namespace Orders.Data;

public sealed record PlaceOrderResult(Order? Order, IReadOnlyList<UserError> Errors);

public static class OrderPlacement
{
    /// <summary>
    /// Insert-or-get on the idempotency key in one transaction. <c>ON CONFLICT DO NOTHING</c> makes a
    /// concurrent request with the same key wait for the first one's commit and then insert nothing, so it
    /// reads the committed order instead of creating a second one; the lines go in with the order or not at all.
    /// </summary>
    public static async Task<PlaceOrderResult> PlaceAsync(OrdersDbContext db, PlaceOrderRequest request, CancellationToken cancellationToken)
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
            return new PlaceOrderResult(null, errors);

        var lines = request.Lines.Select(l => new OrderLine { ProductId = l.ProductId, Quantity = l.Quantity, UnitPrice = prices[l.ProductId] }).ToList();
        var total = lines.Sum(l => l.Quantity * l.UnitPrice);
        // PostgreSQL keeps microseconds; truncate so cursors built from this value match the stored row.
        var now = DateTimeOffset.UtcNow;
        var placedAt = now.AddTicks(-(now.Ticks % 10));
        var fingerprint = request.Fingerprint;
        var status = nameof(OrderStatus.Placed);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var inserted = await db.Database.SqlQuery<int>($"""
            INSERT INTO orders (user_id, status, total, placed_at, idempotency_key, request_fingerprint)
            VALUES ({request.UserId}, {status}, {total}, {placedAt}, {request.IdempotencyKey}, {fingerprint})
            ON CONFLICT (idempotency_key) DO NOTHING
            RETURNING id AS "Value"
            """).ToListAsync(cancellationToken);

        if (inserted is [var orderId])
        {
            foreach (var line in lines)
                line.OrderId = orderId;
            db.OrderLines.AddRange(lines);
            var order = new Order { Id = orderId, UserId = request.UserId, Status = OrderStatus.Placed, Total = total, PlacedAt = placedAt, IdempotencyKey = request.IdempotencyKey, Lines = lines };
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
