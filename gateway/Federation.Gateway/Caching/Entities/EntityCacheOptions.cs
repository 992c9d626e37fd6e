namespace Federation.Gateway.Caching.Entities;

/// <summary>How long one subgraph's answers for one entity type may be served, and whether only to the caller who asked.</summary>
/// <param name="Private">Entries are keyed on the verified caller (subject and scopes) and never served to anyone else.</param>
public sealed record EntityCachePolicy(TimeSpan MaxAge, bool Private);

/// <summary>
/// The entity cache (config section <c>EntityCache</c>): entity fetches of the declared subgraph types are answered from
/// <see cref="Store"/> when it holds them; every other type, and every fetch of a mutation, goes to the subgraph.
/// </summary>
public sealed class EntityCacheOptions
{
    private readonly Dictionary<string, EntityCachePolicy> _policies = new(StringComparer.OrdinalIgnoreCase);

    public bool Enabled { get; set; }

    public IEntityCache? Store { get; set; }

    /// <summary>Whether entity fetches consult the cache at all: switched on, a store, and at least one declared type.</summary>
    public bool Active => Enabled && Store is not null && _policies.Count > 0;

    public IEnumerable<(string Subgraph, string TypeName, EntityCachePolicy Policy)> Policies =>
        _policies.Select(p => (p.Key[..p.Key.IndexOf('.', StringComparison.Ordinal)], p.Key[(p.Key.IndexOf('.', StringComparison.Ordinal) + 1)..], p.Value));

    public void Declare(string subgraph, string typeName, EntityCachePolicy policy) => _policies[subgraph + "." + typeName] = policy;

    /// <summary>The policy of <paramref name="typeName"/> as <paramref name="subgraph"/> answers it; null: not cached.</summary>
    public EntityCachePolicy? PolicyFor(string subgraph, string typeName) =>
        _policies.TryGetValue(subgraph + "." + typeName, out var policy) ? policy : null;
}
