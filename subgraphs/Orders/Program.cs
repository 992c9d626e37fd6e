using Federation.Subgraph.Data;
using Federation.Subgraph.GraphQL;
using Federation.Subgraph.Hosting;
using Federation.Subgraph.Messaging.Hosting;
using Orders.Data;
using Orders.Events;
using Orders.Types;

var builder = SubgraphApplication.CreateBuilder(args, OrdersDatabase.SubgraphName);

builder.AddSubgraphDatabase<OrdersDbContext>(OrdersDatabase.ConnectionName, OrdersSeed.SeedAsync);

builder.AddSubgraphGraphQL(graphql => graphql
    .FromAssemblyOf<OrderType>()
    .AddQueryFields<OrderQueries>()
    .AddQueryFields<CheckoutQueries>()
    .AddMutationFields<OrderMutations>()
    .AddDataLoader<OrderByIdDataLoader>()
    .AddDataLoader<OrderLinesByOrderIdDataLoader>()
    .AddDataLoader<UserOrdersDataLoader>()
    .AddDataLoader<UserOrderCountDataLoader>()
    .AddType<UserType>());

builder.AddSubgraphMessaging<OrdersDbContext>(OrdersDatabase.SubgraphName, messaging => messaging
    .Consume<ProductCreated, ProductPriceHandler>(ConsumedTopics.CatalogProduct, nameof(ProductCreated))
    .Consume<ProductUpdated, ProductPriceHandler>(ConsumedTopics.CatalogProduct, nameof(ProductUpdated))
    .Consume<StockRejected, StockRejectedHandler>(ConsumedTopics.InventoryStock, nameof(StockRejected))
    .Consume<PaymentSucceeded, PaymentOutcomeHandler>(ConsumedTopics.PaymentsPayment, nameof(PaymentSucceeded))
    .Consume<PaymentFailed, PaymentOutcomeHandler>(ConsumedTopics.PaymentsPayment, nameof(PaymentFailed)));

var app = builder.Build();
app.MapSubgraph();
app.MapSubgraphMessaging();
return await app.RunSubgraphAsync();

public partial class Program;
