using GraphQLParser.AST;
using Microsoft.Extensions.Logging;

namespace Federation.Gateway.Pipeline;

/// <summary>Picks the operation to run from the document and applies the transport's rule for it (no mutation over GET).</summary>
public sealed class OperationStage(ILogger<OperationStage> logger) : IRequestStage
{
    public string Name => "graphql.operation";

    public ValueTask InvokeAsync(RequestContext context)
    {
        var request = context.Request;
        var operation = Select(context.Document!, request.OperationName);
        if (operation is null)
        {
            var (message, code) = request.OperationName is null
                ? ("Must provide operation name if query contains multiple operations.", "GRAPHQL_VALIDATION_FAILED")
                : ($"Unknown operation named \"{request.OperationName}\".", "OPERATION_RESOLUTION_FAILURE");
            logger.OperationRejected(context.RequestId, request.OperationName, code);
            return context.RefuseOperation(message, code);
        }

        if (request.ReadOnly && operation.Operation == OperationType.Mutation)
        {
            logger.OperationRejected(context.RequestId, request.OperationName, "MUTATION_OVER_GET");
            return context.Reject(405, "Mutations cannot be sent with GET; use POST.", "BAD_REQUEST");
        }

        context.Operation = operation;
        return ValueTask.CompletedTask;
    }

    /// <summary>The operation named <paramref name="operationName"/>, or the only one when no name is given.</summary>
    public static GraphQLOperationDefinition? Select(GraphQLDocument document, string? operationName)
    {
        GraphQLOperationDefinition? found = null;
        foreach (var definition in document.Definitions)
        {
            if (definition is not GraphQLOperationDefinition operation)
            {
                continue;
            }

            if (string.IsNullOrEmpty(operationName))
            {
                if (found is not null)
                {
                    return null;
                }

                found = operation;
            }
            else if (operation.Name?.StringValue == operationName)
            {
                return operation;
            }
        }

        return found;
    }
}
