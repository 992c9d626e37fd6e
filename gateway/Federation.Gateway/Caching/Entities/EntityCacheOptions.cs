using System.Runtime.CompilerServices;
using Federation.Gateway.Planning;

namespace Federation.Gateway.Caching.Entities;

/// <summary>
/// What the operator's configuration says about one subgraph's entity type, on top of the subgraph's own
/// <c>Cache-Control</c>: a cap on its max-age (and the max-age when the subgraph sends none), and private scope.
/// </summary>
/// <param name="MaxAge">Null: the subgraph's max-age alone decides.</param>
/// <param name="Private">Entries are keyed on the verified caller even when the subgraph answers <c>public</c>.</param>
public sealed record EntityCachePolicy(TimeSpan? MaxAge, bool Private);

/// <summary>
/// The entity cache (config section <c>EntityCache</c>): entity fetches are answered from <see cref="Store"/> when it holds
/// them, and stored for as long as the subgraph's <c>Cache-Control</c> and the operator's <see cref="EntityCachePolicy"/>
/// both allow (docs/architecture.md, "Entity cache"). Mutations and disabled subgraphs always go to the subgraph.
/// </summary>
public sealed class EntityCacheOptions
{
    private readonly Dictionary<string, EntityCachePolicy> _policies = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _disabled = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConditionalWeakTable<FetchNode, LearnedCacheControl> _learned = [];

    public bool Enabled { get; set; }

    public IEntityCache? Store { get; set; }

    /// <summary>Whether entity fetches consult the cache at all: switched on and a store.</summary>
    public bool Active => Enabled && Store is not null;

    public IEnumerable<(string Subgraph, string TypeName, EntityCachePolicy Policy)> Policies =>
        _policies.Select(p => (p.Key[..p.Key.IndexOf('.', StringComparison.Ordinal)], p.Key[(p.Key.IndexOf('.', StringComparison.Ordinal) + 1)..], p.Value));

    public void Declare(string subgraph, string typeName, EntityCachePolicy policy) => _policies[subgraph + "." + typeName] = policy;

    /// <summary>The operator's policy for <paramref name="typeName"/> as <paramref name="subgraph"/> answers it; null: the subgraph's header alone.</summary>
    public EntityCachePolicy? PolicyFor(string subgraph, string typeName) =>
        _policies.TryGetValue(subgraph + "." + typeName, out var policy) ? policy : null;

    /// <summary>Sends every fetch of <paramref name="subgraph"/> without looking at the cache.</summary>
    public void Disable(string subgraph) => _disabled.Add(subgraph);

    public bool IsCached(string subgraph) => !_disabled.Contains(subgraph);

    /// <summary>What the subgraph's last answer to this fetch allowed; kept as long as the plan holding the fetch.</summary>
    internal LearnedCacheControl Learned(FetchNode fetch) => _learned.GetOrCreateValue(fetch);
}

/// <summary>
/// The last <c>Cache-Control</c> one fetch was answered with, as Apollo Router remembers private queries: a fetch the
/// subgraph answered <c>no-store</c> is not looked up (its answer is still read, so a change is learned on the next
/// one), and a private one is looked up under the caller. A wrong guess costs a miss, never another caller's entry.
/// </summary>
internal sealed class LearnedCacheControl
{
    public volatile bool Uncacheable;

    public volatile bool Private;
}
