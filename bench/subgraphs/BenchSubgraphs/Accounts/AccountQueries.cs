using Federation.Subgraph.GraphQL;
using GraphQL;
using GraphQL.Types;

namespace BenchSubgraphs.Accounts;

public sealed class AccountQueries : IQueryFields
{
    public void AddFields(ObjectGraphType query)
    {
        query.Field<UserType>("me").Resolve(_ => AccountsData.Users[0]);
        query.Field<UserType>("user")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Resolve(ctx => AccountsData.ById(ctx.GetArgument<string>("id")));
        query.Field<ListGraphType<UserType>>("users").Resolve(_ => AccountsData.Users);
    }
}
