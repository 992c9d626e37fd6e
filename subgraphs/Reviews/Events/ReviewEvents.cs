using Federation.Subgraph.Messaging.Events;
using Reviews.Data;

namespace Reviews.Events;

public static class ReviewsTopics
{
    /// <summary>Review lifecycle, keyed by review id.</summary>
    public const string Review = "reviews.review.v1";
}

/// <summary>A buyer reviewed a product; catalog aggregates these into Product.rating.</summary>
public sealed record ReviewAdded(int ReviewId, int ProductId, int UserId, int Rating, DateTimeOffset CreatedAt) : IIntegrationEvent
{
    public static string EventType => nameof(ReviewAdded);
    public static int SchemaVersion => 1;

    public static ReviewAdded From(Review review) => new(review.Id, review.ProductId, review.UserId, review.Rating, review.CreatedAt);
}
