using GraphQL.Federation;
using GraphQL.Types;

namespace BenchSubgraphs.Reviews;

public sealed class UserReference
{
    public string Id { get; set; } = "";
    public string? Username { get; set; }
}

/// <summary>Accounts owns User; reviews adds the user's reviews and can provide the username of an author.</summary>
public sealed class ReviewsUserType : ObjectGraphType<UserReference>
{
    public ReviewsUserType()
    {
        Name = "User";
        this.Key("id");
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(ctx => ctx.Source.Id);
        Field<StringGraphType>("username").External().Resolve(ctx => ctx.Source.Username);
        Field<ListGraphType<ReviewType>>("reviews").Resolve(_ => ReviewsData.OfAnyUser());
        this.ResolveReference<UserReference>((_, reference) => reference);
    }
}
