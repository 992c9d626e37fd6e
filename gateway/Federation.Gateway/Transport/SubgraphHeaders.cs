using Federation.Gateway.Authorization;
using Federation.Security;

namespace Federation.Gateway.Transport;

/// <summary>
/// The headers one request sends to each subgraph: the client headers chosen for forwarding, never the client's own
/// <c>Authorization</c> or <c>X-Forwarded-For</c>; in their place an internal token for that subgraph carrying the
/// verified caller and, on a mutation's root fetch, the X-Forwarded-For chain the gateway built as a proxy. Built once
/// per subgraph and kind of fetch per request; the tokens themselves come from the issuer's short-lived cache.
/// </summary>
/// <param name="forwardedFor">
/// Sent only with mutation root fetches, which are never deduplicated: subgraph reads deduplicate on their headers, and a
/// per-client address would stop anonymous reads of different clients from sharing a round trip. What needs the client's
/// address today is accounts' login throttling, and login, registration and token refresh are mutations.
/// </param>
public sealed class SubgraphHeaders(IReadOnlyDictionary<string, string>? forwarded, CallerIdentity? caller, InternalTokenIssuer? tokens, string? forwardedFor = null)
{
    public const string ForwardedForHeader = "X-Forwarded-For";

    private readonly Lock _gate = new();
    private Dictionary<(string Subgraph, bool Mutation), IReadOnlyDictionary<string, string>?>? _built;

    /// <param name="mutation">Whether the fetch is a mutation's root fetch (sent once, never shared).</param>
    public IReadOnlyDictionary<string, string>? For(string subgraph, bool mutation = false)
    {
        lock (_gate)
        {
            _built ??= [];
            if (!_built.TryGetValue((subgraph, mutation), out var headers))
            {
                headers = _built[(subgraph, mutation)] = Build(subgraph, mutation);
            }

            return headers;
        }
    }

    private Dictionary<string, string>? Build(string subgraph, bool mutation)
    {
        Dictionary<string, string>? headers = null;
        if (forwarded is not null)
        {
            foreach (var (name, value) in forwarded)
            {
                // A client's own X-Forwarded-For would reach subgraphs that trust the gateway as a proxy.
                if (!name.Equals("Authorization", StringComparison.OrdinalIgnoreCase) && !name.Equals(ForwardedForHeader, StringComparison.OrdinalIgnoreCase))
                {
                    (headers ??= new(StringComparer.OrdinalIgnoreCase))[name] = value;
                }
            }
        }

        if (tokens is not null)
        {
            (headers ??= new(StringComparer.OrdinalIgnoreCase))["Authorization"] = "Bearer " + tokens.Issue(subgraph, caller?.Subject, caller?.Scopes ?? (IEnumerable<string>)[]);
        }

        if (mutation && forwardedFor is { Length: > 0 })
        {
            (headers ??= new(StringComparer.OrdinalIgnoreCase))[ForwardedForHeader] = forwardedFor;
        }

        return headers;
    }
}
