using Federation.Subgraph.GraphQL;
using Accounts.Data;
using GraphQL.Federation;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;

namespace Accounts.Types;

public sealed class UserType : ObjectGraphType<User>
{
    public UserType()
    {
        Name = "User";
        Description = "A customer account. Owned by accounts; other subgraphs extend it by id.";
        this.Key("id");
        Field(u => u.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(u => u.Email).Description("Sign-in email, lower-case.").Authenticated();
        Field(u => u.Name).Description("Display name.");
        Field<NonNullGraphType<DateTimeGraphType>>("createdAt").Resolve(ctx => ctx.Source.CreatedAt.UtcDateTime);
        this.ResolveReference<User>((ctx, reference) =>
            ctx.RequestServices!.GetRequiredService<UserByIdDataLoader>().Load(reference.Id));
    }
}
