using Federation.Gateway.Subscriptions;
using Federation.Gateway.Transport;
using GraphQLParser.AST;
using Microsoft.Extensions.Logging;

namespace Federation.Gateway.Pipeline;

/// <summary>
/// Answers a planned subscription with its stream of events. The stream opens the root fetch at its subgraph when the
/// transport starts reading it; each event then runs <paramref name="events"/> (execute, shape, respond) on its own
/// context, so it is completed and authorized exactly as a query's answer is. Other operations pass it by.
/// </summary>
public sealed class SubscribeStage(
    ISubgraphSubscriptions upstream,
    ExecuteStage execute,
    Func<RequestContext, Func<System.Text.Json.Nodes.JsonObject, CancellationToken, Task<GatewayResult>>> events,
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
        var source = new SubscriptionSource(
            root.ServiceName, execute.SubgraphUrl(context.Schema.Supergraph, root.Graph), request, headers, upstream);
        context.Response = new GatewayResult(200, [])
        {
            Stream = new SubscriptionStream(context, source, events(context), options.Subscriptions, options.TimeProvider, logger),
        };
        logger.Subscribed(context.RequestId, context.OperationName, root.ServiceName);
        return ValueTask.CompletedTask;
    }
}
