using Federation.Gateway.Subscriptions;
using Federation.Gateway.Transport;
using GraphQLParser.AST;
using Microsoft.Extensions.Logging;

namespace Federation.Gateway.Pipeline;

/// <summary>
/// Answers a planned subscription with its stream of events. The stream opens the root fetch at its subgraph when the
/// transport starts reading it, or, for a field declared with <c>@kafkaSubscribe</c>, subscribes to the process's event
/// streams (<see cref="GatewayOptions.EventStreams"/>); each event then runs <paramref name="events"/> (execute, shape,
/// respond) on its own context, so it is completed and authorized exactly as a query's answer is. Other operations pass it by.
/// </summary>
public sealed class SubscribeStage(
    ISubgraphSubscriptions upstream,
    ExecuteStage execute,
    Func<RequestContext, Func<SourceEvent, CancellationToken, Task<GatewayResult>>> events,
    GatewayOptions options,
    ILogger<SubscribeStage> logger) : IRequestStage
{
    public string Name => "graphql.subscribe";

    public bool Applies(RequestContext context) => context.Operation?.Operation == OperationType.Subscription;

    public ValueTask InvokeAsync(RequestContext context)
    {
        var root = context.Plan!.SubscriptionRoot;
        var executor = execute.ExecutorFor(context);
        var (request, headers) = executor.SubscriptionRequest(root, context.Request.Variables);
        ISubscriptionSource source;
        var eventFields = context.Schema.EventStreams;
        var fieldName = context.Operation!.SelectionSet.Selections.OfType<GraphQLField>().FirstOrDefault()?.Name.StringValue;
        if (fieldName is not null && eventFields.Invalid.TryGetValue(fieldName, out var invalid))
        {
            return context.Reject(500, "The supergraph's @kafkaSubscribe cannot be served: " + invalid, "INTERNAL_SERVER_ERROR");
        }

        if (fieldName is not null && eventFields.ByField.TryGetValue(fieldName, out var field))
        {
            if (options.EventStreams is not { } streams)
            {
                return context.Reject(503, $"Subscription.{fieldName} is fed by Kafka, which this gateway is not configured to read (Kafka:BootstrapServers).", "SERVICE_UNAVAILABLE");
            }

            var subscription = EventSubscriptionSource.Subscription(
                field,
                root,
                request["variables"] as System.Text.Json.Nodes.JsonObject,
                context.Request.Caller?.Subject,
                context.Request.Extensions?["cursor"] is System.Text.Json.Nodes.JsonValue cursor ? cursor.ToString() : null,
                options.Subscriptions.BufferSize,
                out var responseKey,
                out var stub,
                out var error);
            if (subscription is null)
            {
                return context.Reject(error!.Value.Code == "UNAUTHENTICATED" ? 401 : 400, error.Value.Message, error.Value.Code);
            }

            source = new EventSubscriptionSource(streams, subscription, responseKey, stub);
        }
        else
        {
            source = new SubscriptionSource(root.ServiceName, execute.SubgraphUrl(context.Schema.Supergraph, root.Graph), request, headers, upstream);
        }

        context.Response = new GatewayResult(200, [])
        {
            Stream = new SubscriptionStream(context, source, events(context), options.Subscriptions, options.TimeProvider, logger),
        };
        logger.Subscribed(context.RequestId, context.OperationName, source.Name);
        return ValueTask.CompletedTask;
    }
}
