using GraphQL.Federation;
using GraphQL.Types;

namespace BenchSubgraphs.Accounts;

public sealed class UserType : ObjectGraphType<User>
{
    public UserType()
    {
        Name = "User";
        this.Key("id");
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(ctx => ctx.Source.Id);
        Field<StringGraphType>("name").Resolve(ctx => ctx.Source.Name);
        Field<StringGraphType>("username").Resolve(ctx => ctx.Source.Username);
        Field<IntGraphType>("birthday").Resolve(ctx => ctx.Source.Birthday);
        this.ResolveReference<UserReference, User>((_, reference) => AccountsData.ById(reference.Id)!);
    }
}

public sealed class UserReference
{
    public string Id { get; set; } = "";
}
