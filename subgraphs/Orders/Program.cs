using Federation.Subgraph.Data;
using Federation.Subgraph.GraphQL;
using Federation.Subgraph.Hosting;
using Orders.Data;
using Orders.Types;

var builder = SubgraphApplication.CreateBuilder(args, OrdersDatabase.SubgraphName);

builder.AddSubgraphDatabase<OrdersDbContext>(OrdersDatabase.ConnectionName, OrdersSeed.SeedAsync);

builder.AddSubgraphGraphQL(graphql => graphql
    .FromAssemblyOf<OrderType>()
    .AddQueryFields<OrderQueries>()
    .AddMutationFields<OrderMutations>()
    .AddDataLoader<OrderByIdDataLoader>()
    .AddDataLoader<OrderLinesByOrderIdDataLoader>()
    .AddDataLoader<UserOrdersDataLoader>()
    .AddDataLoader<UserOrderCountDataLoader>()
    .AddType<UserType>());

var app = builder.Build();
app.MapSubgraph();
return await app.RunSubgraphAsync();

public partial class Program;
