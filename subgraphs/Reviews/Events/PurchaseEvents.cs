using Federation.Subgraph.Messaging.Consuming;
using Federation.Subgraph.Messaging.Events;
using Microsoft.EntityFrameworkCore;
using Reviews.Data;

namespace Reviews.Events;

/// <summary>Topics reviews reads; the publishers' contracts are under schema/events/&lt;topic&gt;.</summary>
public static class ConsumedTopics
{
    public const string CatalogProduct = "catalog.product.v1";
    public const string OrdersOrder = "orders.order.v1";
}

// Reviews' own minimal view of orders' OrderConfirmed: who bought which products, and when.
public sealed record OrderConfirmed(int UserId, DateTimeOffset ConfirmedAt, IReadOnlyList<int> ProductIds);

/// <summary>Records each product of a confirmed order as bought by its user, which is what addReview checks.</summary>
public sealed class OrderConfirmedHandler : IIntegrationEventHandler<ReviewsDbContext, OrderConfirmed>
{
    public async Task HandleAsync(ReviewsDbContext db, OrderConfirmed data, EventEnvelope envelope, CancellationToken cancellationToken)
    {
        // A second order of the same product keeps the first purchase date; the key (user, product) makes this an upsert.
        foreach (var productId in data.ProductIds.Distinct())
        {
            await db.Database.ExecuteSqlAsync(
                $"""
                 INSERT INTO purchases (user_id, product_id, purchased_at) VALUES ({data.UserId}, {productId}, {data.ConfirmedAt})
                 ON CONFLICT (user_id, product_id) DO UPDATE SET purchased_at = LEAST(purchases.purchased_at, EXCLUDED.purchased_at)
                 """,
                cancellationToken);
        }
    }
}
