using Federation.Subgraph.Data;
using Federation.Subgraph.GraphQL;
using Federation.Subgraph.Hosting;
using Federation.Subgraph.Messaging.Hosting;
using Notifications.Data;
using Notifications.Events;
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

builder.AddSubgraphMessaging<NotificationsDbContext>(NotificationsDatabase.SubgraphName, messaging => messaging
    .Consume<OrderPlaced, OrderNotificationHandler>(ConsumedTopics.OrdersOrder, nameof(OrderPlaced))
    .Consume<OrderConfirmed, OrderNotificationHandler>(ConsumedTopics.OrdersOrder, nameof(OrderConfirmed))
    .Consume<OrderRejected, OrderNotificationHandler>(ConsumedTopics.OrdersOrder, nameof(OrderRejected)));

var app = builder.Build();
app.MapSubgraph();
app.MapSubgraphMessaging();
return await app.RunSubgraphAsync();

public partial class Program;
