using Accounts.Data;
using Accounts.Security;
using Accounts.Types;
using Federation.Subgraph.Data;
using Federation.Subgraph.GraphQL;
using Federation.Subgraph.Hosting;

var builder = SubgraphApplication.CreateBuilder(args, AccountsDatabase.SubgraphName);

builder.AddSubgraphDatabase<AccountsDbContext>(AccountsDatabase.ConnectionName, AccountsSeed.SeedAsync);
builder.AddTokenIssuer();

builder.AddSubgraphGraphQL(graphql => graphql
    .FromAssemblyOf<UserType>()
    .AddQueryFields<UserQueries>()
    .AddMutationFields<AccountMutations>()
    .AddDataLoader<UserByIdDataLoader>());

var app = builder.Build();
app.MapSubgraph();
return await app.RunSubgraphAsync();

public partial class Program;
