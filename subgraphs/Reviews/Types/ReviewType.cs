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
        Field(r => r.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field<NonNullGraphType<ProductType>>("product").Resolve(ctx => new ProductReference { Id = ctx.Source.ProductId });
        Field<NonNullGraphType<UserType>>("user").Resolve(ctx => new UserReference { Id = ctx.Source.UserId });
        Field(r => r.Rating).Description($"{Review.MinRating} to {Review.MaxRating} stars.");
        Field(r => r.Body);
        Field<NonNullGraphType<DateTimeGraphType>>("createdAt").Resolve(ctx => ctx.Source.CreatedAt.UtcDateTime);
        this.ResolveReference<Review>((ctx, reference) =>
            ctx.RequestServices!.GetRequiredService<ReviewByIdDataLoader>().Load(reference.Id));
    }
}

public sealed class ProductReference
{
    public int Id { get; set; }
}

/// <summary>Catalog owns Product; reviews adds what customers said about it.</summary>
public sealed class ProductType : ObjectGraphType<ProductReference>
{
    public ProductType()
    {
        Name = "Product";
        this.Key("id");
        Field(p => p.Id, type: typeof(NonNullGraphType<IdGraphType>));
        ReviewConnections.AddField(this, "The product's reviews, newest first.", ReviewOwner.Product, p => p.Id);
        // The key is all reviews needs: the reviews are found by product_id.
        this.ResolveReference<ProductReference>((_, reference) => reference);
    }
}

public sealed class UserReference
{
    public int Id { get; set; }
}

/// <summary>Accounts owns User; reviews adds the reviews the user wrote.</summary>
public sealed class UserType : ObjectGraphType<UserReference>
{
    public UserType()
    {
        Name = "User";
        this.Key("id");
        Field(u => u.Id, type: typeof(NonNullGraphType<IdGraphType>));
        ReviewConnections.AddField(this, "The reviews the user wrote, newest first.", ReviewOwner.User, u => u.Id);
        this.ResolveReference<UserReference>((_, reference) => reference);
    }
}
