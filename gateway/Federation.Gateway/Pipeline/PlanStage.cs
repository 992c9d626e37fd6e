using System.Diagnostics;
using Federation.Gateway.Planning;
using GraphQLParser.AST;
using Microsoft.Extensions.Logging;

namespace Federation.Gateway.Pipeline;

/// <summary>Finds the operation's query plan in the schema's cache, or plans it and keeps it.</summary>
public sealed class PlanStage(ILogger<PlanStage> logger) : IRequestStage
{
    public string Name => "graphql.plan";

    public ValueTask InvokeAsync(RequestContext context)
    {
        if (context.Operation!.Operation == OperationType.Subscription && !context.Request.Streams)
        {
            return context.Reject(400, "Subscriptions are not supported over this transport: use a WebSocket (graphql-transport-ws) or Accept: text/event-stream.", "BAD_REQUEST");
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            context.Plan = context.Authorization is { } authorized
                ? context.Schema.GetPlan(authorized.Document, authorized.Operation, context.Variable, out var cached)
                : context.Schema.GetPlan(context.KnownDocument!, context.Operation, context.Variable, out cached);
            if (!cached)
            {
                logger.Planned(context.RequestId, context.OperationName, context.Plan.Fetches.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }
        catch (PlanningException e)
        {
            logger.PlanningFailed(context.RequestId, context.OperationName, e.Message);
            return context.Reject(200, e.Message, "QUERY_PLANNING_FAILED", data: true);
        }

        return ValueTask.CompletedTask;
    }
}
