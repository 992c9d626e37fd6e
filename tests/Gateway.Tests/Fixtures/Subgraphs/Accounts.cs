using GraphQL;
using GraphQL.Federation;
using GraphQL.Types;

namespace Federation.Gateway.Tests.Fixtures.Subgraphs;

public sealed record User(string Id, string Name, string Email);

public sealed class UserKey
{
    public string Id { get; set; } = string.Empty;
}

public static class AccountsData
{
    public static readonly User[] Users =
    [
        new("u1", "Ada Lovelace", "ada@example.com"),
        new("u2", "Alan Turing", "alan@example.com"),
    ];
}

public sealed class AccountsUserType : ObjectGraphType<User>
{
    public AccountsUserType()
    {
        Name = "User";
        this.Key("id");
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<StringGraphType>>("name").Resolve(c => c.Source.Name).Shareable();
        Field<NonNullGraphType<StringGraphType>>("email").Resolve(c => c.Source.Email);
        this.ResolveReference<UserKey, User>((_, key) => AccountsData.Users.FirstOrDefault(u => u.Id == key.Id));
    }
}

public sealed class AccountsQuery : ObjectGraphType
{
    public AccountsQuery()
    {
        Name = "Query";
        Field<AccountsUserType>("me").Resolve(_ => AccountsData.Users[0]);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<AccountsUserType>>>>("users").Resolve(_ => AccountsData.Users);
        Field<AccountsUserType>("user")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Resolve(c => AccountsData.Users.FirstOrDefault(u => u.Id == c.GetArgument<string>("id")));
    }
}

public sealed class AccountsSchema : GraphQL.Types.Schema
{
    public AccountsSchema(IServiceProvider services)
        : base(services)
    {
        Query = new AccountsQuery();
    }
}
