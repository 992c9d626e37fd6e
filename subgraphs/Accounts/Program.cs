using Accounts.Data;
using Accounts.Security;
using Accounts.Types;
using Federation.Security;
using Federation.Subgraph.Data;
using Federation.Subgraph.GraphQL;
using Federation.Subgraph.Hosting;

if (args is ["keys", "generate", var keyFolder])
{
    Console.WriteLine(SigningKeyFiles.Generate(keyFolder, TimeProvider.System));
    return 0;
}

var builder = SubgraphApplication.CreateBuilder(args, AccountsDatabase.SubgraphName);
var passwords = builder.AddPasswordHashing();

builder.AddSubgraphDatabase<AccountsDbContext>(AccountsDatabase.ConnectionName,
    AccountsSeed.Create(demoAccounts: builder.Configuration.GetValue<bool>("Accounts:DemoAccounts"), passwords));
builder.AddSubgraphGraphQL(graphql => graphql
    .FromAssemblyOf<UserType>()
    .AddQueryFields<UserQueries>()
    .AddMutationFields<AccountMutations>()
    .AddMutationFields<SessionMutations>()
    .AddMutationFields<AddressMutations>()
    .AddMutationFields<ProfileMutations>()
    .AddDataLoader<UserByIdDataLoader>());
builder.AddAccountsSecurity();

var app = builder.Build();
app.MapIdentityDiscovery();
app.MapSubgraph();
return await app.RunSubgraphAsync();

public partial class Program;
