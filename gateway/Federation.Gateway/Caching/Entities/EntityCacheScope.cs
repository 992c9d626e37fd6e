using Federation.Gateway.Authorization;

namespace Federation.Gateway.Caching.Entities;

/// <summary>The entity cache as one request sees it: the declared types, and the caller private entries are keyed on.</summary>
/// <param name="Caller">Null for an anonymous caller, who shares private entries only with other anonymous callers.</param>
public sealed record EntityCacheScope(EntityCacheOptions Options, CallerIdentity? Caller)
{
    public IEntityCache Store => Options.Store!;

    public string PrivateKey => Caller?.Key ?? "\u0001anonymous";
}
