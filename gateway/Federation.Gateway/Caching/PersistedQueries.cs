using System.Text.Json.Nodes;
using Federation.Gateway.Pipeline;

namespace Federation.Gateway.Caching;

/// <summary>Which documents the gateway runs (config <c>PersistedDocuments:Mode</c>).</summary>
public enum PersistedDocumentMode
{
    /// <summary>Any document, sent in full or registered as an automatic persisted query; trusted ids resolve too.</summary>
    Open,

    /// <summary>Only trusted documents: by id, or sent in full when the text is listed. Nothing else is registered or run.</summary>
    AllowList,
}

/// <summary>
/// Persisted documents: Apollo's automatic persisted queries (<c>extensions.persistedQuery</c>, version 1), where a client
/// first sends only the SHA-256 of its query and on <c>PERSISTED_QUERY_NOT_FOUND</c> resends hash and query, and trusted
/// documents from the clients' build manifests, which allow-list mode makes the only documents that run. Registered
/// queries live in a bounded memory copy per process in front of an optional shared <see cref="IPersistedDocumentStore"/>.
/// </summary>
public sealed class PersistedQueries(
    int capacity,
    IPersistedDocumentStore? store = null,
    TrustedDocuments? trusted = null,
    PersistedDocumentMode configuredMode = PersistedDocumentMode.Open)
{
    private readonly BoundedCache<string> _queries = new(capacity, StringComparer.OrdinalIgnoreCase);

    public int Count => _queries.Count;

    public PersistedDocumentMode Mode => configuredMode;

    /// <summary>
    /// The query to run, or an error (message, code) when the request's document cannot be run. <paramref name="arbitrary"/>:
    /// this request may run any document, as in open mode.
    /// </summary>
    public async ValueTask<(string? Query, (string Message, string Code)? Error)> ResolveAsync(
        string? query, JsonObject? extensions, CancellationToken cancellationToken, bool arbitrary = false)
    {
        var mode = arbitrary ? PersistedDocumentMode.Open : Mode;
        if (extensions?["persistedQuery"] is not JsonObject persisted)
        {
            return mode == PersistedDocumentMode.AllowList && !string.IsNullOrEmpty(query) && !Trusted(TrustedDocuments.Hash(query))
                ? (null, NotInList)
                : (query, null);
        }

        if (persisted["version"] is not JsonValue version || !version.TryGetValue<int>(out var v) || v != 1)
        {
            return (null, ("Unsupported persisted query version; only version 1 is supported.", "PERSISTED_QUERY_NOT_SUPPORTED"));
        }

        if (persisted["sha256Hash"] is not JsonValue hashValue || !hashValue.TryGetValue<string>(out var hash) || hash.Length != 64)
        {
            return (null, ("persistedQuery.sha256Hash must be the 64 hex digits of the query's SHA-256.", "BAD_REQUEST"));
        }

        if (string.IsNullOrEmpty(query))
        {
            if (trusted is not null && trusted.TryGet(hash, out var listed))
            {
                GatewayTelemetry.CountCacheLookup("persisted_query", hit: true);
                return (listed, null);
            }

            if (mode == PersistedDocumentMode.AllowList)
            {
                GatewayTelemetry.CountCacheLookup("persisted_query", hit: false);
                return (null, NotInList);
            }

            if (_queries.TryGetValue(hash, out var known))
            {
                GatewayTelemetry.CountCacheLookup("persisted_query", hit: true);
                return (known, null);
            }

            if (store is not null && await store.GetAsync(hash.ToLowerInvariant(), cancellationToken) is { } shared)
            {
                _queries.Set(hash, shared);
                GatewayTelemetry.CountCacheLookup("persisted_query", hit: true);
                return (shared, null);
            }

            GatewayTelemetry.CountCacheLookup("persisted_query", hit: false);
            return (null, ("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND"));
        }

        var actual = TrustedDocuments.Hash(query);
        if (!string.Equals(actual, hash, StringComparison.OrdinalIgnoreCase))
        {
            return (null, ("provided sha does not match query", "INVALID_SHA256_HASH"));
        }

        if (Trusted(actual))
        {
            return (query, null);
        }

        if (mode == PersistedDocumentMode.AllowList)
        {
            return (null, NotInList);
        }

        _queries.Set(hash, query);
        if (store is not null)
        {
            await store.SetAsync(actual, query, cancellationToken);
        }

        return (query, null);
    }

    private static (string, string) NotInList => ("This operation is not in the gateway's trusted documents.", "PERSISTED_QUERY_NOT_IN_LIST");

    private bool Trusted(string textHash) => trusted?.ContainsText(textHash) == true;
}
