using Federation.Security;

namespace Federation.Gateway.Transport;

/// <summary>
/// The headers one request sends to each subgraph: the client headers chosen for forwarding, never the client's own
/// <c>Authorization</c>, and in its place an internal token for that subgraph carrying the verified caller. Built once
/// per subgraph per request; the tokens themselves come from the issuer's short-lived cache.
/// </summary>
public sealed class SubgraphHeaders(IReadOnlyDictionary<string, string>? forwarded, GatewayCaller? caller, InternalTokenIssuer? tokens)
{
    private readonly Lock _gate = new();
    private Dictionary<string, IReadOnlyDictionary<string, string>?>? _bySubgraph;

    public IReadOnlyDictionary<string, string>? For(string subgraph)
    {
        lock (_gate)
        {
            _bySubgraph ??= new(StringComparer.Ordinal);
            if (!_bySubgraph.TryGetValue(subgraph, out var headers))
            {
                headers = _bySubgraph[subgraph] = Build(subgraph);
            }

            return headers;
        }
    }

    private Dictionary<string, string>? Build(string subgraph)
    {
        Dictionary<string, string>? headers = null;
        if (forwarded is not null)
        {
            foreach (var (name, value) in forwarded)
            {
                if (!name.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
                {
                    (headers ??= new(StringComparer.OrdinalIgnoreCase))[name] = value;
                }
            }
        }

        if (tokens is not null)
        {
            (headers ??= new(StringComparer.OrdinalIgnoreCase))["Authorization"] = "Bearer " + tokens.Issue(subgraph, caller?.Subject, caller?.Scopes ?? []);
        }

        return headers;
    }
}
