using System.Collections.Concurrent;
using GraphQL;
using GraphQL.DI;
using GraphQL.Validation;
using GraphQLParser.AST;

namespace Federation.Subgraph.GraphQL;

/// <summary>
/// Keeps the parsed document of every query text that once validated, so a repeat (a gateway sends the same few
/// <c>_entities</c> operations with new representations all day) skips parsing and the document-only validation rules.
/// Variable values are still coerced per request, and rules registered with <c>useForCachedDocuments</c> still run
/// (the GET-means-query rule). The same recipe as graphql-dotnet's GraphQL.MemoryCache, which is not obtainable here.
/// </summary>
public sealed class ParsedDocumentCache : IConfigureExecution
{
    /// <summary>Distinct query texts kept; when full the cache starts over, so hostile unique texts cannot grow it.</summary>
    public const int Capacity = 2_000;

    private readonly ConcurrentDictionary<string, GraphQLDocument> _documents = new(StringComparer.Ordinal);

    public float SortOrder => 200;

    public async Task<ExecutionResult> ExecuteAsync(ExecutionOptions options, ExecutionDelegate next)
    {
        var query = options.Document is null ? options.Query : null;
        if (query is not null && _documents.TryGetValue(query, out var document))
        {
            options.Document = document;
            options.ValidationRules = options.CachedDocumentValidationRules ?? [];
            query = null;
        }

        var result = await next(options);
        if (query is not null && result.Executed && result.Document is not null)
        {
            if (_documents.Count >= Capacity)
            {
                _documents.Clear();
            }

            _documents.TryAdd(query, result.Document);
        }

        return result;
    }
}
