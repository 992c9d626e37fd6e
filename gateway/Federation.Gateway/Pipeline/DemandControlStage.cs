using System.Globalization;
using System.Text.Json.Nodes;
using Federation.Gateway.DemandControl;
using Microsoft.Extensions.Logging;

namespace Federation.Gateway.Pipeline;

/// <summary>
/// Demand control after authorization and before planning, as Apollo Router runs it: prices the operation that will be
/// planned (<see cref="CostEstimator"/>) and, in enforce mode, refuses it with <c>COST_ESTIMATED_TOO_EXPENSIVE</c>
/// when the estimate is above the maximum, before any subgraph is asked.
/// </summary>
public sealed class DemandControlStage(DemandControlOptions options, ILogger<DemandControlStage> logger) : IRequestStage
{
    public const string TooExpensive = "COST_ESTIMATED_TOO_EXPENSIVE";

    public string Name => "graphql.cost";

    public ValueTask InvokeAsync(RequestContext context)
    {
        var document = context.Authorization?.Document.Document ?? context.Document!;
        var operation = context.Authorization?.Operation ?? context.Operation!;
        double estimated;
        try
        {
            estimated = new CostEstimator(context.Schema.Supergraph, context.Schema.Costs, document, context.Variable, options.ListSize).Estimate(operation);
        }
        catch (CostEstimationException e)
        {
            logger.CostNotEstimated(context.RequestId, context.OperationName, e.Message);
            return context.RefuseOperation(e.Message, "COST_QUERY_PARSE_FAILURE");
        }

        var over = estimated > options.MaxCost;
        context.Cost = new OperationCost(estimated, options.MaxCost, over ? TooExpensive : "COST_OK", options.Mode);
        if (!over)
        {
            return ValueTask.CompletedTask;
        }

        logger.CostTooHigh(context.RequestId, context.OperationName, estimated, options.MaxCost, options.Mode);
        if (options.Mode != DemandControlMode.Enforce)
        {
            return ValueTask.CompletedTask;
        }

        var extensions = new JsonObject { ["cost.estimated"] = estimated, ["cost.max"] = options.MaxCost };
        var message = string.Create(
            CultureInfo.InvariantCulture,
            $"The operation is estimated to cost {estimated:0.###}, above the maximum of {options.MaxCost:0.###}.");
        return context.RefuseOperation(message, TooExpensive, extensions: extensions);
    }
}

/// <summary>The request's demand-control figures; <see cref="Actual"/> is filled in once the response is shaped, when asked for.</summary>
public sealed record OperationCost(double Estimated, double Max, string Result, DemandControlMode Mode)
{
    public double? Actual { get; set; }

    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["estimated"] = Estimated,
            ["max"] = Max,
            ["result"] = Result,
            ["mode"] = Mode == DemandControlMode.Enforce ? "enforce" : "measure",
        };
        if (Actual is { } actual)
        {
            json["actual"] = actual;
        }

        return json;
    }
}
