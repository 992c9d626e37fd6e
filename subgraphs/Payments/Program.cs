using Federation.Subgraph.Data;
using Federation.Subgraph.GraphQL;
using Federation.Subgraph.Hosting;
using Payments.Data;
using Payments.Types;

var builder = SubgraphApplication.CreateBuilder(args, PaymentsDatabase.SubgraphName);

builder.AddSubgraphDatabase<PaymentsDbContext>(PaymentsDatabase.ConnectionName, PaymentsSeed.SeedAsync);

builder.AddSubgraphGraphQL(graphql => graphql
    .FromAssemblyOf<PaymentType>()
    .AddQueryFields<PaymentQueries>()
    .AddDataLoader<PaymentByIdDataLoader>()
    .AddDataLoader<PaymentByOrderIdDataLoader>()
    .AddType<OrderType>());

var app = builder.Build();
app.MapSubgraph();
return await app.RunSubgraphAsync();

public partial class Program;
