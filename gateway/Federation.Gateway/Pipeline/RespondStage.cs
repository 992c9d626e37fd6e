using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace Federation.Gateway.Pipeline;

/// <summary>Builds the response envelope: fetch errors, data and extensions (value completion, the plan on request).</summary>
public sealed class RespondStage(ILogger<RespondStage> logger) : IRequestStage
{
    public string Name => "graphql.respond";

    public ValueTask InvokeAsync(RequestContext context)
    {
        var errors = context.Results.Errors;
        var body = new JsonObject();
        if (errors.Count > 0 || context.AuthorizationErrors.Count > 0)
        {
            body["errors"] = new JsonArray([.. context.AuthorizationErrors, .. errors]);
        }

        // Shaped data is written straight from the merged subgraph data when the answer is sent; a tree set or read
        // by an earlier step (actual cost, below) goes in as it is.
        var shaped = context.ShapedData;
        if (shaped is null)
        {
            body["data"] = context.Data;
        }

        JsonObject? extensions = null;
        if (errors.Count == 0 && context.CompletionErrors.Count > 0)
        {
            // Apollo Gateway reports value-completion failures here, not in errors, and only when no fetch failed.
            extensions = new JsonObject { ["valueCompletion"] = new JsonArray([.. context.CompletionErrors]) };
        }

        if (context.Request.IncludePlan && context.Plan is { } plan)
        {
            extensions ??= [];
            extensions["queryPlan"] = plan.ToJson();
        }

        if (context.Request.IncludeCost && context.Cost is { } cost)
        {
            var fields = context.Fields;
            cost.Actual = new DemandControl.ActualCost(context.Schema.Supergraph, context.Schema.Costs, fields, context.Variable)
                .Of(context.RootType, context.Operation!, context.Data, context.Results.Data.ToJsonNode() as JsonObject);
            extensions ??= [];
            extensions["cost"] = cost.ToJson();
        }

        if (extensions is not null)
        {
            body["extensions"] = extensions;
        }

        context.Response = shaped is null ? new GatewayResult(200, body) : new GatewayResult(200, body, shaped);
        logger.Responded(context.RequestId, context.OperationName, 200);
        return ValueTask.CompletedTask;
    }
}
