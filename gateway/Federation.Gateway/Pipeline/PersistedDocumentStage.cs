using Federation.Gateway.Caching;
using Microsoft.Extensions.Logging;

namespace Federation.Gateway.Pipeline;

/// <summary>
/// Resolves the text to run: the request's query, or the persisted document its hash names; in allow-list mode only
/// trusted documents pass, unless the host let the request run any document.
/// </summary>
public sealed class PersistedDocumentStage(PersistedQueries persisted, ILogger<PersistedDocumentStage> logger) : IRequestStage
{
    public string Name => "graphql.persisted_document";

    public async ValueTask InvokeAsync(RequestContext context)
    {
        var (query, error) = await persisted.ResolveAsync(context.Request.Query, context.Request.Extensions, context.CancellationToken, context.Request.ArbitraryDocument);
        if (error is var (message, code))
        {
            logger.PersistedQueryRejected(context.RequestId, code);

            // Apollo clients read PERSISTED_QUERY_NOT_FOUND from a 200 response and retry with the full query.
            await context.Reject(code == "PERSISTED_QUERY_NOT_FOUND" ? 200 : 400, message, code);
            return;
        }

        context.Query = query;
    }
}
