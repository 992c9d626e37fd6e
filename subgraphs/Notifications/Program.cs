using Federation.Subgraph.Data;
using Federation.Subgraph.GraphQL;
using Federation.Subgraph.Hosting;
using Notifications.Data;
using Notifications.Types;

var builder = SubgraphApplication.CreateBuilder(args, NotificationsDatabase.SubgraphName);

builder.AddSubgraphDatabase<NotificationsDbContext>(NotificationsDatabase.ConnectionName, NotificationsSeed.SeedAsync);

builder.AddSubgraphGraphQL(graphql => graphql
    .FromAssemblyOf<NotificationType>()
    .AddQueryFields<NotificationQueries>()
    .AddMutationFields<NotificationMutations>()
    .AddDataLoader<NotificationByIdDataLoader>()
    .AddDataLoader<NotificationPageDataLoader>()
    .AddDataLoader<NotificationCountDataLoader>()
    .AddType<UserType>());

var app = builder.Build();
app.MapSubgraph();
return await app.RunSubgraphAsync();

public partial class Program;
