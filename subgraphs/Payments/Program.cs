using Federation.Subgraph.Data;
using Federation.Subgraph.GraphQL;
using Federation.Subgraph.Hosting;
using Federation.Subgraph.Messaging.Hosting;
using Payments.Data;
using Payments.Events;
using Payments.Types;

var builder = SubgraphApplication.CreateBuilder(args, PaymentsDatabase.SubgraphName);

builder.AddSubgraphDatabase<PaymentsDbContext>(PaymentsDatabase.ConnectionName, PaymentsSeed.SeedAsync);

builder.AddSubgraphGraphQL(graphql => graphql
    .FromAssemblyOf<PaymentType>()
    .AddQueryFields<PaymentQueries>()
    .AddDataLoader<PaymentByIdDataLoader>()
    .AddDataLoader<PaymentByOrderIdDataLoader>()
    .AddType<OrderType>());

builder.AddSubgraphMessaging<PaymentsDbContext>(PaymentsDatabase.SubgraphName, messaging => messaging
    .Consume<StockReserved, StockReservedHandler>(ConsumedTopics.InventoryStock, nameof(StockReserved)));

var app = builder.Build();
app.MapSubgraph();
app.MapSubgraphMessaging();
return await app.RunSubgraphAsync();

public partial class Program;
