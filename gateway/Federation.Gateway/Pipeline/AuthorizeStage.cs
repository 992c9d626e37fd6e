using Federation.Gateway.Authorization;
using GraphQLParser;
using Microsoft.Extensions.Logging;

namespace Federation.Gateway.Pipeline;

/// <summary>
/// Enforces <c>@authenticated</c> and <c>@requiresScopes</c> before planning, as Apollo Router does: selections the
/// caller may not make are left out of the plan and answered <c>null</c> with an <c>UNAUTHORIZED_FIELD_OR_TYPE</c>
/// error at each response path, or, with <paramref name="rejectUnauthorized"/> (and always for a subscription whose root
/// field is refused), the whole request is refused.
/// </summary>
public sealed class AuthorizeStage(bool rejectUnauthorized, ILogger<AuthorizeStage> logger) : IRequestStage
{
    /// <summary>Errors listed when rejecting; enough to name every refused selection of a real operation.</summary>
    private const int MaxRejectErrors = 100;

    public string Name => "graphql.authorize";

    public ValueTask InvokeAsync(RequestContext context)
    {
        var supergraph = context.Schema.Supergraph;
        if (!supergraph.Access.Any)
        {
            return ValueTask.CompletedTask;
        }

        var caller = context.Request.Caller;
        var filter = OperationFilter.Run(supergraph, caller, context.Document!, context.Operation!, context.RootType);
        if (filter.Denied.Count == 0)
        {
            return ValueTask.CompletedTask;
        }

        logger.Unauthorized(context.RequestId, context.OperationName, caller is not null, string.Join(", ", filter.Denied));
        // A subscription whose root field is refused would stream nothing but nulls: it is refused whole, as with the option.
        var rootRefused = context.Operation!.Operation == GraphQLParser.AST.OperationType.Subscription
            && filter.Denied.Any(c => c.StartsWith(context.RootType + ".", StringComparison.Ordinal));
        if (rejectUnauthorized || rootRefused)
        {
            var errors = OperationFilter.Errors(supergraph, caller, context.Document!, context.Operation!, context.RootType, MaxRejectErrors);
            context.Response = GraphQLErrors.Result(403, errors);
            return ValueTask.CompletedTask;
        }

        var document = context.Schema.FilteredDocument(filter.Rewrite(context.Query!));
        var operation = OperationStage.Select(document.Document, context.Request.OperationName)
            ?? throw new InvalidOperationException("The filtered document lost its operation.");
        context.Authorization = new AuthorizedOperation(document, operation, caller);
        return ValueTask.CompletedTask;
    }
}
