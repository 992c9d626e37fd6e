using Federation.Subgraph.Data;
using Federation.Subgraph.GraphQL;
using Federation.Subgraph.Hosting;
using Federation.Subgraph.Messaging.Hosting;
using Inventory.Data;
using Inventory.Events;
using Inventory.Types;

var builder = SubgraphApplication.CreateBuilder(args, InventoryDatabase.SubgraphName);

builder.AddSubgraphDatabase<InventoryDbContext>(InventoryDatabase.ConnectionName, InventorySeed.SeedAsync);

builder.AddSubgraphGraphQL(graphql => graphql
    .FromAssemblyOf<StockType>()
    .AddQueryFields<StockQueries>()
    .AddMutationFields<StockMutations>()
    .AddDataLoader<StockByProductIdDataLoader>()
    .AddType<ProductType>());

builder.AddSubgraphMessaging<InventoryDbContext>(InventoryDatabase.SubgraphName, messaging => messaging
    .Consume<ProductCreated, ProductTrackedHandler>(ConsumedTopics.CatalogProduct, nameof(ProductCreated))
    .Consume<OrderPlaced, OrderPlacedHandler>(ConsumedTopics.OrdersOrder, nameof(OrderPlaced))
    .Consume<PaymentSucceeded, PaymentOutcomeHandler>(ConsumedTopics.PaymentsPayment, nameof(PaymentSucceeded))
    .Consume<PaymentFailed, PaymentOutcomeHandler>(ConsumedTopics.PaymentsPayment, nameof(PaymentFailed)));

var app = builder.Build();
app.MapSubgraph();
app.MapSubgraphMessaging();
return await app.RunSubgraphAsync();

public partial class Program;
