using Federation.Gateway.Caching.Entities;
using StackExchange.Redis;

namespace Federation.Gateway.Host.EntityCache;

/// <summary>
/// The entity cache in Redis, shared by every gateway replica. Each entity has a generation counter that every
/// invalidation increments (and each type one that clearing the whole type increments). An entry carries the generations
/// read before its fetch and is served only while they are current, so an answer fetched before an invalidation is never
/// served after it, whenever it is written. The write checks them too, in the Lua script that stores the entry: a slow
/// fetch from before an invalidation cannot overwrite the fresh entry a later fetch stored.
/// </summary>
public sealed partial class RedisEntityCache(IConnectionMultiplexer redis, ILogger<RedisEntityCache> logger) : IEntityCache
{
    /// <summary>Longest <see cref="EntityCachePolicy.MaxAge"/> a type may declare.</summary>
    public static readonly TimeSpan MaxTtl = TimeSpan.FromDays(1);

    // The version names the key and value format; a later format gets new keys instead of misreading these.
    private const string Prefix = "federation:gateway:entity:v1:";

    // A generation must outlive every entry stored under it: were it to expire first, it would read as 0 again and
    // an entry stored under generation 0 would be current once more.
    private static readonly TimeSpan GenerationTtl = MaxTtl * 2;

    // KEYS: entry, entity generation, type generation per write; ARGV: version, value, ttl in ms per write.
    private static readonly LuaScript Store = LuaScript.Prepare(
        """
        local stored = {}
        for i = 1, #KEYS, 3 do
          local current = (redis.call('GET', KEYS[i + 1]) or '0') .. '.' .. (redis.call('GET', KEYS[i + 2]) or '0')
          if current == ARGV[i] then
            redis.call('SET', KEYS[i], ARGV[i + 1], 'PX', ARGV[i + 2])
            stored[#stored + 1] = 1
          else
            stored[#stored + 1] = 0
          end
        end
        return stored
        """);

    private static readonly LuaScript Increment = LuaScript.Prepare(
        """
        for i = 1, #KEYS do
          redis.call('INCR', KEYS[i])
          redis.call('PEXPIRE', KEYS[i], ARGV[1])
        end
        return #KEYS
        """);

    public async ValueTask<EntityCacheRead[]> ReadAsync(IReadOnlyList<EntityCacheKey> keys, CancellationToken cancellationToken)
    {
        var redisKeys = new RedisKey[keys.Count * 3];
        for (var i = 0; i < keys.Count; i++)
        {
            redisKeys[i * 3] = EntryKey(keys[i]);
            redisKeys[(i * 3) + 1] = GenerationKey(keys[i].Subgraph, keys[i].TypeName, keys[i].Id);
            redisKeys[(i * 3) + 2] = TypeGenerationKey(keys[i].Subgraph, keys[i].TypeName);
        }

        var reads = new EntityCacheRead[keys.Count];
        try
        {
            // One MGET: the entries and the generations they are checked against are one snapshot.
            var values = await redis.GetDatabase().StringGetAsync(redisKeys).WaitAsync(cancellationToken);
            for (var i = 0; i < keys.Count; i++)
            {
                var version = Version(values[(i * 3) + 1], values[(i * 3) + 2]);
                var entry = values[i * 3];
                string? json = null;
                if (!entry.IsNull && entry.ToString() is { } text && text.IndexOf('\n', StringComparison.Ordinal) is > 0 and var split
                    && text.AsSpan(0, split).SequenceEqual(version))
                {
                    json = text[(split + 1)..];
                }

                reads[i] = new EntityCacheRead(json, version);
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Unavailable(logger, "read", ex.Message);
            return new EntityCacheRead[keys.Count];
        }

        return reads;
    }

    public async ValueTask WriteAsync(IReadOnlyList<EntityCacheWrite> writes, CancellationToken cancellationToken)
    {
        var keys = new RedisKey[writes.Count * 3];
        var values = new RedisValue[writes.Count * 3];
        for (var i = 0; i < writes.Count; i++)
        {
            var write = writes[i];
            keys[i * 3] = EntryKey(write.Key);
            keys[(i * 3) + 1] = GenerationKey(write.Key.Subgraph, write.Key.TypeName, write.Key.Id);
            keys[(i * 3) + 2] = TypeGenerationKey(write.Key.Subgraph, write.Key.TypeName);
            values[i * 3] = write.Version;
            values[(i * 3) + 1] = write.Version + "\n" + write.Json;
            values[(i * 3) + 2] = (long)Math.Min(write.Ttl.TotalMilliseconds, MaxTtl.TotalMilliseconds);
        }

        try
        {
            var stored = (long[])(await redis.GetDatabase().ScriptEvaluateAsync(Store.ExecutableScript, keys, values).WaitAsync(cancellationToken))!;
            for (var i = 0; i < writes.Count; i++)
            {
                EntityCacheTelemetry.CountStore(writes[i].Key.Subgraph, writes[i].Key.TypeName, stored[i] == 1);
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Unavailable(logger, "write", ex.Message);
        }
    }

    /// <summary>
    /// Makes every entry of the entity (or, with <paramref name="id"/> null, of the type) stale, for every selection and
    /// caller at once, and every root entry of its subgraph: a root answer may hold the entity, and which ones it holds is
    /// not recorded. Throws when Redis cannot be reached: the caller retries or reports it.
    /// </summary>
    public async Task InvalidateAsync(IReadOnlyList<(string Subgraph, string TypeName, string? Id)> entities)
    {
        var keys = entities
            .Select(e => e.Id is null ? TypeGenerationKey(e.Subgraph, e.TypeName) : GenerationKey(e.Subgraph, e.TypeName, e.Id))
            .Concat(entities.Select(e => e.Subgraph.ToLowerInvariant()).Distinct(StringComparer.Ordinal)
                .Select(subgraph => GenerationKey(subgraph, EntityCacheKey.RootType, EntityCacheKey.RootId)))
            .ToArray();
        await redis.GetDatabase().ScriptEvaluateAsync(Increment.ExecutableScript, keys, [(long)GenerationTtl.TotalMilliseconds]);
    }

    private static string Version(RedisValue generation, RedisValue typeGeneration) =>
        (generation.IsNull ? "0" : generation.ToString()) + "." + (typeGeneration.IsNull ? "0" : typeGeneration.ToString());

    // Subgraph names are case-insensitive in configuration; type names and ids are not.
    private static RedisKey EntryKey(EntityCacheKey key) => $"{Prefix}e:{key.Subgraph.ToLowerInvariant()}:{key.TypeName}:{key.Variant}:{key.Id}";

    private static RedisKey GenerationKey(string subgraph, string typeName, string id) => $"{Prefix}g:{subgraph.ToLowerInvariant()}:{typeName}:{id}";

    private static RedisKey TypeGenerationKey(string subgraph, string typeName) => $"{Prefix}t:{subgraph.ToLowerInvariant()}:{typeName}";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis could not {Operation} the entity cache ({Reason}); fetching from the subgraphs.")]
    private static partial void Unavailable(ILogger logger, string operation, string reason);
}
