using Federation.Gateway.Execution;
using Microsoft.Extensions.Logging;

namespace Federation.Gateway.Pipeline;

/// <summary>Cuts the merged subgraph data down to the client's operation: its fields, aliases, order and null rules.</summary>
public sealed class ShapeStage(ILogger<ShapeStage> logger) : IRequestStage
{
    public string Name => "graphql.shape";

    public ValueTask InvokeAsync(RequestContext context)
    {
        var shaper = new ResponseShaper(context.Schema.Supergraph, context.Fields, context.Introspection, context.Authorization);
        context.ShapedData = shaper.Shape(context.RootType, context.Operation!, context.Results.Data);
        context.CompletionErrors = shaper.CompletionErrors;
        context.AuthorizationErrors = shaper.AuthorizationErrors;
        logger.Shaped(context.RequestId, context.OperationName, shaper.CompletionErrors.Count);
        return ValueTask.CompletedTask;
    }
}
