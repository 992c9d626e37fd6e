using Federation.Gateway.Validation;
using Microsoft.Extensions.Logging;

namespace Federation.Gateway.Pipeline;

/// <summary>Depth and alias limits, before planning, so an abusive operation costs nothing downstream.</summary>
public sealed class LimitsStage(int maxDepth, int maxAliases, ILogger<LimitsStage> logger) : IRequestStage
{
    public string Name => "graphql.limits";

    public ValueTask InvokeAsync(RequestContext context)
    {
        if (OperationLimits.Check(context.Document!, context.Operation!, maxDepth, maxAliases) is var (message, code))
        {
            logger.LimitExceeded(context.RequestId, context.OperationName, code, message);
            return context.Reject(400, message, code);
        }

        return ValueTask.CompletedTask;
    }
}
