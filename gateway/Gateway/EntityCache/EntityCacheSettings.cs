using Federation.Gateway.Caching.Entities;

namespace Federation.Gateway.Host.EntityCache;

/// <summary>
/// The entity cache's configuration (gateway/README.md, "Entity cache"), shaped like Apollo Router's
/// <c>preview_entity_cache.subgraph.subgraphs.&lt;name&gt;</c>: each subgraph declares the entity types whose answers may
/// be cached, for how long and for whom. Types not declared are never cached.
/// </summary>
public sealed class EntityCacheSettings
{
    /// <summary>Text so that a bad value is reported with its key; off unless <c>true</c>.</summary>
    public string? Enabled { get; set; }

    public Dictionary<string, EntityCacheSubgraphSettings> Subgraphs { get; } = new(StringComparer.OrdinalIgnoreCase);

    internal bool IsEnabled => GatewaySettings.Switch(Enabled) == true;

    public void ApplyTo(EntityCacheOptions options)
    {
        options.Enabled = IsEnabled;
        foreach (var (subgraph, settings) in Subgraphs)
        {
            foreach (var (typeName, type) in settings.Types)
            {
                if (type.MaxAge is { Length: > 0 } maxAge && GatewaySettings.TryParseDuration(maxAge, out var span))
                {
                    options.Declare(subgraph, typeName, new EntityCachePolicy(span, type.IsPrivate));
                }
            }
        }
    }

    internal void Validate(List<string> failures, string? kafka)
    {
        if (Enabled is { Length: > 0 } && GatewaySettings.Switch(Enabled) is null)
        {
            failures.Add($"EntityCache:Enabled must be true or false, not \"{Enabled}\".");
        }

        if (IsEnabled && string.IsNullOrWhiteSpace(kafka))
        {
            failures.Add("EntityCache:Enabled needs Kafka:BootstrapServers: without the domain events nothing would invalidate the cache.");
        }

        foreach (var (subgraph, settings) in Subgraphs)
        {
            foreach (var (typeName, type) in settings.Types)
            {
                var key = $"EntityCache:Subgraphs:{subgraph}:Types:{typeName}";
                if (!(type.MaxAge is { Length: > 0 } maxAge && GatewaySettings.TryParseDuration(maxAge, out var span) && span <= RedisEntityCache.MaxTtl))
                {
                    failures.Add($"{key}:MaxAge must be a positive duration of at most {RedisEntityCache.MaxTtl.TotalHours:0} hours, not \"{type.MaxAge}\".");
                }

                if (type.Scope is { Length: > 0 } scope && type.ParsedScope is null)
                {
                    failures.Add($"{key}:Scope must be public or private, not \"{scope}\".");
                }
            }
        }
    }
}

public sealed class EntityCacheSubgraphSettings
{
    public Dictionary<string, EntityCacheTypeSettings> Types { get; } = new(StringComparer.Ordinal);
}

/// <summary>One entity type's <c>Cache-Control</c>, in configuration: <c>max-age</c> and <c>public</c>/<c>private</c>.</summary>
public sealed class EntityCacheTypeSettings
{
    /// <summary>How long an answer may be served ("00:05:00" or seconds); required.</summary>
    public string? MaxAge { get; set; }

    /// <summary><c>public</c> (default): shared by every caller; <c>private</c>: keyed on the verified caller.</summary>
    public string? Scope { get; set; }

    internal bool IsPrivate => ParsedScope == "private";

    internal string? ParsedScope => (Scope ?? "public").Trim().ToLowerInvariant() switch
    {
        "public" => "public",
        "private" => "private",
        _ => null,
    };
}

/// <summary>The Kafka cluster the gateway reads domain events from (the same key the subgraphs use).</summary>
public sealed class KafkaSettings
{
    public string? BootstrapServers { get; set; }
}
