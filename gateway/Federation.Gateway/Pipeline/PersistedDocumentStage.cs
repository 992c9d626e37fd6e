using Federation.Gateway.Caching;
using Microsoft.Extensions.Logging;

namespace Federation.Gateway.Pipeline;

/// <summary>Resolves the text to run: the request's query, or the automatic persisted query its hash names.</summary>
public sealed class PersistedDocumentStage(PersistedQueries persisted, ILogger<PersistedDocumentStage> logger) : IRequestStage
{
    public string Name => "graphql.persisted_document";

    public ValueTask InvokeAsync(RequestContext context)
    {
        var (query, error) = persisted.Resolve(context.Request.Query, context.Request.Extensions);
        if (error is var (message, code))
        {
            logger.PersistedQueryRejected(context.RequestId, code);

            // Apollo clients read PERSISTED_QUERY_NOT_FOUND from a 200 response and retry with the full query.
            return context.Reject(code == "PERSISTED_QUERY_NOT_FOUND" ? 200 : 400, message, code);
        }

        context.Query = query;
        return ValueTask.CompletedTask;
    }
}
