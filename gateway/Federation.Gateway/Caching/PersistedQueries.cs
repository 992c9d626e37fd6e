using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Federation.Gateway.Pipeline;

namespace Federation.Gateway.Caching;

/// <summary>
/// Automatic persisted queries (Apollo's <c>extensions.persistedQuery</c>, version 1) in memory: a client first sends only
/// the SHA-256 of its query; on <c>PERSISTED_QUERY_NOT_FOUND</c> it resends hash and query, which are kept for next time.
/// </summary>
public sealed class PersistedQueries(int capacity)
{
    private readonly BoundedCache<string> _queries = new(capacity, StringComparer.OrdinalIgnoreCase);

    public int Count => _queries.Count;

    /// <summary>The query to run, or an error (message, code) when the request's persisted-query extension cannot be honoured.</summary>
    public (string? Query, (string Message, string Code)? Error) Resolve(string? query, JsonObject? extensions)
    {
        if (extensions?["persistedQuery"] is not JsonObject persisted)
        {
            return (query, null);
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
            var hit = _queries.TryGetValue(hash, out var known);
            GatewayTelemetry.CountCacheLookup("persisted_query", hit);
            return hit ? (known, null) : (null, ("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND"));
        }

        if (!string.Equals(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(query))), hash, StringComparison.OrdinalIgnoreCase))
        {
            return (null, ("provided sha does not match query", "INVALID_SHA256_HASH"));
        }

        _queries.Set(hash, query);
        return (query, null);
    }
}
