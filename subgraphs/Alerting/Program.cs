using Alerting.Data;
using Alerting.Events;
using Alerting.Rules;
using Alerting.Types;
using Federation.Subgraph.Data;
using Federation.Subgraph.GraphQL;
using Federation.Subgraph.Hosting;
using Federation.Subgraph.Messaging.Hosting;

var builder = SubgraphApplication.CreateBuilder(args, AlertingDatabase.SubgraphName);
var alerting = AlertingOptions.From(builder.Configuration);

builder.AddSubgraphDatabase<AlertingDbContext>(AlertingDatabase.ConnectionName, new AlertRulesSeed(alerting).SeedAsync);
builder.AddAlertingRules(alerting);

builder.AddSubgraphGraphQL(graphql => graphql
    .FromAssemblyOf<AlertType>()
    .AddQueryFields<AlertQueries>()
    .AddMutationFields<AlertMutations>()
    .AddDataLoader<AlertByIdDataLoader>());

builder.AddSubgraphMessaging<AlertingDbContext>(AlertingDatabase.SubgraphName, messaging =>
{
    messaging
        .Consume<PaymentSucceeded, SignalHandler>(ConsumedTopics.PaymentsPayment, nameof(PaymentSucceeded))
        .Consume<PaymentFailed, SignalHandler>(ConsumedTopics.PaymentsPayment, nameof(PaymentFailed))
        .Consume<OrderRejected, SignalHandler>(ConsumedTopics.OrdersOrder, nameof(OrderRejected))
        .Consume<StockChanged, SignalHandler>(ConsumedTopics.InventoryStock, nameof(StockChanged));
    foreach (var topic in alerting.DeadLetterTopics)
        messaging.ConsumeMessages<SignalHandler>(topic);
});

var app = builder.Build();
app.MapSubgraph();
app.MapSubgraphMessaging();
return await app.RunSubgraphAsync();

public partial class Program;
