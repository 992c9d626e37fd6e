using System.Globalization;
using Federation.Gateway.Caching.Entities;

namespace Federation.Gateway.Host.EntityCache;

/// <summary>
/// The entity cache's configuration (gateway/README.md, "Entity cache"), shaped like Apollo Router's
/// <c>preview_entity_cache.subgraph.subgraphs.&lt;name&gt;</c>: the subgraphs' <c>Cache-Control</c> says what is cached,
/// for how long and for whom; per subgraph the operator may switch caching off, and per type cap the max-age or make
/// entries private.
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
            if (GatewaySettings.Switch(settings.Enabled) == false)
            {
                options.Disable(subgraph);
            }

            foreach (var (typeName, type) in settings.Types)
            {
                TimeSpan? maxAge = type.MaxAge is { Length: > 0 } text && GatewaySettings.TryParseDuration(text, out var span) ? span : null;
                options.Declare(subgraph, typeName, new EntityCachePolicy(maxAge, type.IsPrivate));
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
            if (settings.Enabled is { Length: > 0 } enabled && GatewaySettings.Switch(enabled) is null)
            {
                failures.Add($"EntityCache:Subgraphs:{subgraph}:Enabled must be true or false, not \"{enabled}\".");
            }

            foreach (var (typeName, type) in settings.Types)
            {
                var key = $"EntityCache:Subgraphs:{subgraph}:Types:{typeName}";
                if (type.MaxAge is { Length: > 0 } maxAge && !(GatewaySettings.TryParseDuration(maxAge, out var span) && span <= RedisEntityCache.MaxTtl))
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
    /// <summary><c>false</c>: every fetch to the subgraph bypasses the cache (Apollo Router's <c>subgraphs.&lt;name&gt;.enabled</c>).</summary>
    public string? Enabled { get; set; }

    public Dictionary<string, EntityCacheTypeSettings> Types { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// The operator's say over one entity type, on top of the subgraph's <c>Cache-Control</c>: a max-age cap (also the
/// max-age when the subgraph sends no header) and private scope. Neither can make a <c>no-store</c> answer cacheable.
/// </summary>
public sealed class EntityCacheTypeSettings
{
    /// <summary>Longest time an answer may be served ("00:05:00" or seconds); optional.</summary>
    public string? MaxAge { get; set; }

    /// <summary><c>public</c> (default): as the subgraph says; <c>private</c>: keyed on the verified caller whatever it says.</summary>
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
    private const int DefaultFetchWaitMaxMs = 20;

    public string? BootstrapServers { get; set; }

    /// <summary>Milliseconds, 1 to 60000; see <see cref="Events.KafkaSource.FetchWaitMaxMs"/>. Default 20, for the embedded mock cluster.</summary>
    public string? FetchWaitMaxMs { get; set; }

    internal int ParsedFetchWaitMaxMs =>
        int.TryParse(FetchWaitMaxMs, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms is >= 1 and <= 60_000 ? ms : DefaultFetchWaitMaxMs;

    internal void Validate(List<string> failures)
    {
        if (FetchWaitMaxMs is { Length: > 0 } text && ParsedFetchWaitMaxMs.ToString(CultureInfo.InvariantCulture) != text)
        {
            failures.Add($"Kafka:FetchWaitMaxMs must be a whole number of milliseconds from 1 to 60000, not \"{text}\".");
        }
    }
}
