using Catalog.Data;
using Federation.Subgraph.Messaging.Consuming;
using Federation.Subgraph.Messaging.Events;

namespace Catalog.Events;

/// <summary>Topics catalog reads; the publishers' contracts are under schema/events/&lt;topic&gt;.</summary>
public static class ConsumedTopics
{
    public const string ReviewsReview = "reviews.review.v1";
    public const string InventoryStock = "inventory.stock.v1";
}

/// <summary>Catalog's own minimal view of reviews' event: only what the rating needs.</summary>
public sealed record ReviewAdded(int ProductId, int Rating);

/// <summary>Folds a review into Product.rating. The running total keeps the average exact instead of re-rounding it per review.</summary>
public sealed class ProductRatingHandler : IIntegrationEventHandler<CatalogDbContext, ReviewAdded>
{
    public async Task HandleAsync(CatalogDbContext db, ReviewAdded data, EventEnvelope envelope, CancellationToken cancellationToken)
    {
        if (data.Rating is < 1 or > 5)
            throw new InvalidEventException($"Review event {envelope.Id} has rating {data.Rating}, outside 1 to 5.");
        var product = await db.Products.FindAsync([data.ProductId], cancellationToken)
            ?? throw new InvalidEventException($"Review event {envelope.Id} is about product {data.ProductId}, which catalog does not have.");

        product.ReviewCount++;
        product.RatingTotal += data.Rating;
        product.RatingAverage = Math.Round((decimal)product.RatingTotal / product.ReviewCount, 2, MidpointRounding.AwayFromZero);
    }
}
