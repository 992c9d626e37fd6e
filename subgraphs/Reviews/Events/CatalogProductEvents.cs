using Federation.Subgraph.Messaging.Consuming;
using Federation.Subgraph.Messaging.Events;
using Microsoft.EntityFrameworkCore;
using Reviews.Data;

namespace Reviews.Events;

// Reviews' own minimal view of catalog's events: existence is all addReview checks.
public sealed record ProductCreated(int ProductId);

public sealed record ProductUpdated(int ProductId);

/// <summary>Records that a product exists; an update of a product created before reviews subscribed also counts.</summary>
public sealed class ProductKnownHandler :
    IIntegrationEventHandler<ReviewsDbContext, ProductCreated>,
    IIntegrationEventHandler<ReviewsDbContext, ProductUpdated>
{
    public Task HandleAsync(ReviewsDbContext db, ProductCreated data, EventEnvelope envelope, CancellationToken cancellationToken) =>
        AddAsync(db, data.ProductId, cancellationToken);

    public Task HandleAsync(ReviewsDbContext db, ProductUpdated data, EventEnvelope envelope, CancellationToken cancellationToken) =>
        AddAsync(db, data.ProductId, cancellationToken);

    private static Task AddAsync(ReviewsDbContext db, int productId, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"INSERT INTO products (id) VALUES ({productId}) ON CONFLICT (id) DO NOTHING", cancellationToken);
}
