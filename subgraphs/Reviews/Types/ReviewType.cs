using System.Globalization;
using Federation.Subgraph.GraphQL;
using Federation.Subgraph.Security;
using GraphQL.Federation;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using Reviews.Data;

namespace Reviews.Types;

public sealed class ReviewType : ObjectGraphType<Review>
{
    public ReviewType()
    {
        Name = "Review";
        Description = "A customer's rating and opinion of a product they bought. Owned by reviews.";
        this.Key("id");

        // A review never changes once added.
        this.CacheControl(maxAge: 3600);
        Field(r => r.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field<NonNullGraphType<ProductType>>("product").Resolve(ctx => new EntityReference<ProductType> { Id = ctx.Source.ProductId });
        Field<UserType>("user")
            .Description("The author, from accounts; null when accounts cannot answer now (the review itself stays).")
            .Resolve(ctx => new EntityReference<UserType> { Id = ctx.Source.UserId });
        Field(r => r.Rating).Description($"{Review.MinRating} to {Review.MaxRating} stars.");
        Field(r => r.Body);
        Field<NonNullGraphType<DateTimeGraphType>>("createdAt").Resolve(ctx => ctx.Source.CreatedAt.UtcDateTime);
        this.ResolveReference<Review>((ctx, reference) =>
            ctx.RequestServices!.GetRequiredService<ReviewByIdDataLoader>().Load(reference.Id));
    }
}

/// <summary>Catalog owns Product; reviews adds what customers said about it, found by product_id.</summary>
public sealed class ProductType : EntityReferenceType<ProductType>
{
    public ProductType() : base("Product")
    {
        // ReviewAdded invalidates the product's and the author's entries.
        this.CacheControl(maxAge: 300);
        ReviewConnections.AddField(this, "The product's reviews, newest first.", ReviewOwner.Product);
        // Nullable like the other fields reviews adds: when reviews cannot answer, the product itself still can.
        Field<BooleanGraphType>("viewerCanReview")
            .Description("Whether the signed-in caller may add a review of this product now: they bought it and have not reviewed it yet. False for an anonymous caller; null when reviews cannot answer.")
            // Depends on who asks and changes with their next order or review: never shared, never kept.
            .CacheControl(maxAge: 0, scope: CacheScope.Private)
            .Resolve(ctx => ctx.Caller().UserId is { } user && int.TryParse(user, NumberStyles.None, CultureInfo.InvariantCulture, out var userId)
                ? ctx.RequestServices!.GetRequiredService<ViewerCanReviewDataLoader>().Load((userId, ctx.Source.Id))
                : false);
    }
}

/// <summary>Accounts owns User; reviews adds the reviews the user wrote, found by user_id.</summary>
public sealed class UserType : EntityReferenceType<UserType>
{
    public UserType() : base("User")
    {
        this.CacheControl(maxAge: 300);
        ReviewConnections.AddField(this, "The reviews the user wrote, newest first.", ReviewOwner.User);
    }
}
