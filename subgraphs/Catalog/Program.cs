using Catalog.Data;
using Catalog.Events;
using Catalog.Images;
using Catalog.Types;
using Federation.Subgraph.Data;
using Federation.Subgraph.GraphQL;
using Federation.Subgraph.Hosting;
using Federation.Subgraph.Messaging.Hosting;

var builder = SubgraphApplication.CreateBuilder(args, CatalogDatabase.SubgraphName);

builder.AddSubgraphDatabase<CatalogDbContext>(CatalogDatabase.ConnectionName, CatalogSeed.SeedAsync);

builder.AddSubgraphGraphQL(graphql => graphql
    .FromAssemblyOf<ProductType>()
    .AddQueryFields<ProductQueries>()
    .AddQueryFields<CategoryQueries>()
    .AddMutationFields<ProductMutations>()
    .AddDataLoader<ProductByIdDataLoader>()
    .AddDataLoader<CategoryByIdDataLoader>());

builder.AddSubgraphMessaging<CatalogDbContext>(CatalogDatabase.SubgraphName, messaging => messaging
    .Consume<ReviewAdded, ProductRatingHandler>(ConsumedTopics.ReviewsReview, nameof(ReviewAdded))
    .Consume<StockChanged, ProductStockHandler>(ConsumedTopics.InventoryStock, nameof(StockChanged)));

var app = builder.Build();
app.MapSubgraph();
app.MapProductImages();
app.MapSubgraphMessaging();
return await app.RunSubgraphAsync();

public partial class Program;
