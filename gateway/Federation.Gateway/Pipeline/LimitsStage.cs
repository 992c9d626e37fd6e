using Federation.GraphQLLimits;
using Microsoft.Extensions.Logging;

namespace Federation.Gateway.Pipeline;

/// <summary>
/// Depth, alias, expanded-field and introspection-depth limits, before validation and planning: the check is linear in
/// the document, while validating or planning an abusive one (fragments that double at every level) is not.
/// </summary>
public sealed class LimitsStage(OperationLimitSettings limits, ILogger<LimitsStage> logger) : IRequestStage
{
    public LimitsStage(int maxDepth, int maxAliases, ILogger<LimitsStage> logger)
        : this(new OperationLimitSettings(maxDepth, maxAliases), logger)
    {
    }

    public string Name => "graphql.limits";

    public ValueTask InvokeAsync(RequestContext context)
    {
        if (OperationLimits.Check(context.Document!, context.Operation!, limits) is var (message, code))
        {
            logger.LimitExceeded(context.RequestId, context.OperationName, code, message);
            return context.RefuseOperation(message, code);
        }

        return ValueTask.CompletedTask;
    }
}
