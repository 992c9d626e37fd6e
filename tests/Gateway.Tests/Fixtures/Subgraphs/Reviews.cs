using GraphQL;
using GraphQL.Federation;
using GraphQL.Types;

namespace Federation.Gateway.Tests.Fixtures.Subgraphs;

public sealed record Review(string Id, string Body, int Rating, string AuthorId, string AuthorName, string ProductUpc);

public sealed class ReviewsUser
{
    public string Id { get; set; } = string.Empty;

    public string? Name { get; set; }
}

public sealed class ReviewsProduct
{
    public string Upc { get; set; } = string.Empty;
}

public static class ReviewsData
{
    public static readonly Review[] Reviews =
    [
        new("r1", "Love it!", 5, "u1", "Ada Lovelace", "1"),
        new("r2", "Too expensive.", 2, "u2", "Alan Turing", "2"),
        new("r3", "Could be better.", 3, "u1", "Ada Lovelace", "3"),
        new("r4", "Prefer something else.", 1, "u2", "Alan Turing", "1"),
    ];
}

public sealed class ReviewType : ObjectGraphType<Review>
{
    public ReviewType()
    {
        Name = "Review";
        this.Key("id");
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<StringGraphType>>("body").Resolve(c => c.Source.Body);
        Field<NonNullGraphType<IntGraphType>>("rating").Resolve(c => c.Source.Rating);
        Field<NonNullGraphType<ReviewsUserType>>("author")
            .Provides("name")
            .Resolve(c => new ReviewsUser { Id = c.Source.AuthorId, Name = c.Source.AuthorName });
        Field<NonNullGraphType<ReviewsProductType>>("product").Resolve(c => new ReviewsProduct { Upc = c.Source.ProductUpc });
        this.ResolveReference<ReviewKey, Review>((_, key) => ReviewsData.Reviews.FirstOrDefault(r => r.Id == key.Id));
    }

    public sealed class ReviewKey
    {
        public string Id { get; set; } = string.Empty;
    }
}

public sealed class ReviewsUserType : ObjectGraphType<ReviewsUser>
{
    public ReviewsUserType()
    {
        Name = "User";
        this.Key("id");
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<StringGraphType>>("name").Resolve(c => c.Source.Name).External();
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ReviewType>>>>("reviews")
            .Resolve(c => ReviewsData.Reviews.Where(r => r.AuthorId == c.Source.Id).ToList());
        this.ResolveReference<ReviewsUser, ReviewsUser>((_, user) => user);
    }
}

public sealed class ReviewsProductType : ObjectGraphType<ReviewsProduct>
{
    public ReviewsProductType()
    {
        Name = "Product";
        this.Key("upc");
        Field<NonNullGraphType<StringGraphType>>("upc").Resolve(c => c.Source.Upc);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ReviewType>>>>("reviews")
            .Resolve(c => ReviewsData.Reviews.Where(r => r.ProductUpc == c.Source.Upc).ToList());
        Field<StringGraphType>("warranty").Resolve(c => c.Source.Upc == "2"
            ? throw new ExecutionError("Warranty service unavailable") { Code = "WARRANTY_DOWN" }
            : "2 years");
        Field<NonNullGraphType<StringGraphType>>("manual").Resolve(c => c.Source.Upc == "3" ? null : "manual-" + c.Source.Upc);
        this.ResolveReference<ReviewsProduct, ReviewsProduct>((_, product) => product);
    }
}

public sealed class ReviewsQuery : ObjectGraphType
{
    public ReviewsQuery()
    {
        Name = "Query";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ReviewType>>>>("latestReviews").Resolve(_ => ReviewsData.Reviews.ToList());
    }
}

public sealed class ReviewsSchema : GraphQL.Types.Schema
{
    public ReviewsSchema(IServiceProvider services)
        : base(services)
    {
        Query = new ReviewsQuery();
    }
}
