using Catalog.Data;
using Catalog.Images;
using GraphQL;
using Federation.Subgraph.GraphQL;
using GraphQL.Federation;
using GraphQL.Types;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Types;

public sealed class ProductType : ObjectGraphType<Product>
{
    /// <summary>The columns each GraphQL field reads; the projection of a query is the union over its selection.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Columns = new Dictionary<string, string[]>
    {
        ["id"] = [nameof(Product.Id)],
        ["name"] = [nameof(Product.Name)],
        ["description"] = [nameof(Product.Description)],
        ["price"] = [nameof(Product.Price)],
        ["category"] = [nameof(Product.CategoryId)],
        ["createdAt"] = [nameof(Product.CreatedAt)],
        ["rating"] = [nameof(Product.RatingAverage), nameof(Product.ReviewCount)],
        ["reviewCount"] = [nameof(Product.ReviewCount)],
        ["inStock"] = [nameof(Product.InStock)],
        ["image"] = [nameof(Product.Id), nameof(Product.Name), nameof(Product.CategoryId)],
    };

    private const int DerivedMaxAge = 10;

    public ProductType()
    {
        Name = "Product";
        Description = "An item for sale. Owned by catalog; other subgraphs extend it by id.";
        this.Key("id");

        // ProductUpdated invalidates the gateway's entries.
        this.CacheControl(maxAge: 300);
        Field(p => p.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(p => p.Name);
        Field(p => p.Description);
        Field<NonNullGraphType<FloatGraphType>>("price")
            .Description("Unit price in USD.")
            .Resolve(ctx => (double)ctx.Source.Price);
        Field<NonNullGraphType<CategoryType>>("category")
            .Resolve(ctx => ctx.RequestServices!.GetRequiredService<CategoryByIdDataLoader>().Load(ctx.Source.CategoryId));
        Field<NonNullGraphType<ProductImageType>>("image")
            .Description("The product's picture at a size (MEDIUM when not given).")
            .Argument<NonNullGraphType<ProductImageSizeType>>("size", arg => arg.DefaultValue = ProductImageSize.Medium)
            .Resolve(ctx => ProductImageType.For(ctx.Source, ctx.GetArgument<ProductImageSize>("size"),
                ctx.RequestServices!.GetRequiredService<IConfiguration>()["Images:PublicBaseUrl"] ?? ""));
        Field<NonNullGraphType<DateTimeGraphType>>("createdAt").Resolve(ctx => ctx.Source.CreatedAt.UtcDateTime);
        // rating, reviewCount and inStock are folded in from reviews' and inventory's events after they are published,
        // so the gateway's invalidation on those events can run before catalog has applied them: a short age bounds it.
        Field<FloatGraphType>("rating")
            .Description("Average review rating (1-5); null until the product has a review.")
            .CacheControl(maxAge: DerivedMaxAge)
            .Resolve(ctx => ctx.Source.ReviewCount == 0 ? null : (double)ctx.Source.RatingAverage);
        Field(p => p.ReviewCount).Description("Number of reviews.").CacheControl(maxAge: DerivedMaxAge);
        Field(p => p.InStock).Description("Whether inventory has stock available.").CacheControl(maxAge: DerivedMaxAge);
        this.ResolveReference<Product>((ctx, reference) =>
            ctx.RequestServices!.GetRequiredService<ProductByIdDataLoader>().Load(reference.Id));
    }
}

public sealed class CategoryType : ObjectGraphType<Category>
{
    public CategoryType()
    {
        Name = "Category";
        this.Key("id");

        // No event announces a category change: its age bounds how long an old name is served.
        this.CacheControl(maxAge: 600);
        Field(c => c.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(c => c.Name);
        Field(c => c.Slug);
        Field(c => c.Description);
        this.ResolveReference<Category>((ctx, reference) =>
            ctx.RequestServices!.GetRequiredService<CategoryByIdDataLoader>().Load(reference.Id));
    }
}
