using Federation.Subgraph.Data;
using Federation.Subgraph.GraphQL;
using Federation.Subgraph.Hosting;
using Federation.Subgraph.Messaging.Hosting;
using Reviews.Data;
using Reviews.Events;
using Reviews.Types;

var builder = SubgraphApplication.CreateBuilder(args, ReviewsDatabase.SubgraphName);

builder.AddSubgraphDatabase<ReviewsDbContext>(ReviewsDatabase.ConnectionName, ReviewsSeed.SeedAsync);

builder.AddSubgraphGraphQL(graphql => graphql
    .FromAssemblyOf<ReviewType>()
    .AddQueryFields<ReviewQueries>()
    .AddMutationFields<ReviewMutations>()
    .AddDataLoader<ReviewByIdDataLoader>()
    .AddDataLoader<ReviewPageDataLoader>()
    .AddDataLoader<RatedReviewPageDataLoader>()
    .AddDataLoader<ReviewCountDataLoader>()
    .AddDataLoader<ViewerCanReviewDataLoader>()
    .AddType<ProductType>()
    .AddType<UserType>());

builder.AddSubgraphMessaging<ReviewsDbContext>(ReviewsDatabase.SubgraphName, messaging => messaging
    .Consume<ProductCreated, ProductKnownHandler>(ConsumedTopics.CatalogProduct, nameof(ProductCreated))
    .Consume<ProductUpdated, ProductKnownHandler>(ConsumedTopics.CatalogProduct, nameof(ProductUpdated))
    .Consume<OrderConfirmed, OrderConfirmedHandler>(ConsumedTopics.OrdersOrder, nameof(OrderConfirmed)));

var app = builder.Build();
app.MapSubgraph();
app.MapSubgraphMessaging();
return await app.RunSubgraphAsync();

public partial class Program;
