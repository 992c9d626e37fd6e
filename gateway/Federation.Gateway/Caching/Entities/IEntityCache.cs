namespace Federation.Gateway.Caching.Entities;

/// <summary>One entity as one subgraph answers one selection of it: what the entity cache stores under one key.</summary>
/// <param name="Id">The entity's key field values (<c>42</c> for <c>@key(fields: "id")</c>): what an invalidation names.</param>
/// <param name="Variant">
/// Hash of everything else the answer depends on: the fetch's selection, the whole representation (<c>@requires</c>
/// fields included), the variables the selection uses and, for a private type, the verified caller.
/// </param>
public sealed record EntityCacheKey(string Subgraph, string TypeName, string Id, string Variant)
{
    /// <summary>The type name a root fetch's entry is kept (and counted in metrics) under.</summary>
    public const string RootType = "Query";

    /// <summary>The one id of every root entry of a subgraph: its generation is the subgraph's root generation.</summary>
    public const string RootId = "*";
}

/// <param name="Json">The cached entity as the subgraph answered it, or null for a miss.</param>
/// <param name="Version">
/// The entity's invalidation generation as read together with the entry; an answer fetched after this read may be
/// stored only under it. Null when the store could not be read: then nothing is stored either.
/// </param>
public readonly record struct EntityCacheRead(string? Json, string? Version);

public sealed record EntityCacheWrite(EntityCacheKey Key, string Version, string Json, TimeSpan Ttl);

/// <summary>
/// The shared store behind the entity cache (the host's Redis). Every failure is a miss or a skipped write, never an
/// exception: the cache must not be able to fail a request.
/// </summary>
public interface IEntityCache
{
    /// <summary>Reads the entries and their entities' current versions in one atomic step, in the order of <paramref name="keys"/>.</summary>
    ValueTask<EntityCacheRead[]> ReadAsync(IReadOnlyList<EntityCacheKey> keys, CancellationToken cancellationToken);

    /// <summary>
    /// Stores each entry only if its entity's version is still the one it was read with, checked and written in one
    /// atomic step: an invalidation that ran after the read wins, whatever the order the two reach the store.
    /// </summary>
    ValueTask WriteAsync(IReadOnlyList<EntityCacheWrite> writes, CancellationToken cancellationToken);
}
