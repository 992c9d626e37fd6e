using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Federation.Gateway.Caching.Entities;
using Federation.Gateway.Planning;
using Federation.Gateway.Transport;
using GraphQLParser.AST;

namespace Federation.Gateway.Execution;

public sealed partial class PlanExecutor
{
    /// <summary>
    /// Answers what the entity cache holds of one entity fetch by merging it exactly as a subgraph answer would be merged,
    /// and returns the representations still to send with what to store once they are answered. Without a cache, for a
    /// disabled subgraph, or for a fetch the subgraph last answered <c>no-store</c>, everything is still to send.
    /// </summary>
    private async Task<(EntityTargets Remaining, EntityCacheFill? Fill)> AnswerFromCacheAsync(
        FetchNode fetch, EntityTargets targets, JsonObject? variables, ResultState state, CancellationToken cancellationToken)
    {
        if (entityCache is null || !entityCache.Options.IsCached(fetch.ServiceName))
        {
            return (targets, null);
        }

        var learned = entityCache.Options.Learned(fetch);
        var candidates = new List<(int Index, EntityCacheKey Key, EntityCacheFill.Material Material)>();
        string? variableText = null;
        for (var i = 0; i < targets.Count && !learned.Uncacheable; i++)
        {
            var text = targets.RepresentationAt(i);
            var representation = JsonNode.Parse(text) as JsonObject;
            if (representation?["__typename"]?.GetValue<string>() is not { } typeName
                || EntityId(fetch, typeName, representation) is not { } id)
            {
                continue;
            }

            var policy = entityCache.Options.PolicyFor(fetch.ServiceName, typeName);
            variableText ??= ClientVariables(fetch.Variables, variables).ToJsonString();
            var material = new EntityCacheFill.Material(fetch.Selection, Encoding.UTF8.GetString(text), variableText, entityCache.PrivateKey, policy);
            var variant = material.Variant(learned.Private || policy?.Private == true);
            candidates.Add((i, new EntityCacheKey(fetch.ServiceName, typeName, id, variant), material));
        }

        if (candidates.Count == 0)
        {
            // Still read the answer's Cache-Control: a fetch that turned cacheable is looked up again from the next request.
            return (targets, new EntityCacheFill(entityCache.Store, learned, [.. Enumerable.Repeat<EntityCacheFill.Pending?>(null, targets.Count)]));
        }

        var reads = await entityCache.Store.ReadAsync([.. candidates.Select(c => c.Key)], cancellationToken);
        var hits = new EntityTargets(targets.Paths);
        var hitEntities = new ResultList();
        var cached = new Dictionary<int, (EntityCacheKey Key, EntityCacheFill.Material Material, EntityCacheRead Read)>();
        for (var c = 0; c < candidates.Count; c++)
        {
            cached[candidates[c].Index] = (candidates[c].Key, candidates[c].Material, reads[c]);
            EntityCacheTelemetry.CountLookup(fetch.ServiceName, candidates[c].Key.TypeName, reads[c].Json is not null);
        }

        var remaining = new EntityTargets(targets.Paths);
        var pending = new List<EntityCacheFill.Pending?>();
        for (var i = 0; i < targets.Count; i++)
        {
            var representation = targets.RepresentationAt(i);
            if (cached.TryGetValue(i, out var entry) && entry.Read.Json is { } json && ReadCached(json) is ResultObject entity)
            {
                foreach (var owner in targets.OwnersOf(i))
                {
                    hits.Add(representation, owner);
                }

                hitEntities.Add(entity);
                continue;
            }

            foreach (var owner in targets.OwnersOf(i))
            {
                remaining.Add(representation, owner);
            }

            pending.Add(entry.Read.Version is { } version ? new EntityCacheFill.Pending(entry.Key, version, entry.Material) : null);
        }

        if (hits.Count > 0)
        {
            var data = new ResultObject(1);
            data.Append("_entities", hitEntities);
            MergeResponse(fetch, new SubgraphResponse { Data = data }, hits, state);
        }

        return (remaining, new EntityCacheFill(entityCache.Store, learned, pending));
    }

    /// <summary>
    /// A query's root fetch answered from the cache like an entity: one entry per subgraph, operation text, variables and,
    /// when the subgraph answered private, caller. Root entries carry the subgraph's root generation, which every
    /// invalidation of one of its entities increments (docs/architecture.md, "Entity cache").
    /// </summary>
    private async Task<EntityCacheFill?> AnswerRootFromCacheAsync(FetchNode fetch, JsonObject? variables, ResultState state, CancellationToken cancellationToken)
    {
        if (entityCache is null || !entityCache.Options.IsCached(fetch.ServiceName))
        {
            return null;
        }

        var learned = entityCache.Options.Learned(fetch);
        if (learned.Uncacheable)
        {
            return new EntityCacheFill(entityCache.Store, learned, [null], root: true);
        }

        var material = new EntityCacheFill.Material(fetch.Operation, string.Empty, ClientVariables(fetch.Variables, variables).ToJsonString(), entityCache.PrivateKey, null);
        var key = new EntityCacheKey(fetch.ServiceName, EntityCacheKey.RootType, EntityCacheKey.RootId, material.Variant(learned.Private));
        var read = (await entityCache.Store.ReadAsync([key], cancellationToken))[0];
        EntityCacheTelemetry.CountLookup(fetch.ServiceName, EntityCacheKey.RootType, read.Json is not null);
        if (read.Json is { } json && ReadCached(json) is ResultObject data)
        {
            MergeResponse(fetch, new SubgraphResponse { Data = data }, null, state);
            return EntityCacheFill.Hit;
        }

        return new EntityCacheFill(entityCache.Store, learned, [read.Version is { } version ? new EntityCacheFill.Pending(key, version, material) : null], root: true);
    }

    /// <summary>An entry as the cache holds it (the JSON text it stored), as result nodes; null when it is not JSON.</summary>
    private static ResultNode? ReadCached(string json)
    {
        try
        {
            return ResultReader.Parse(Encoding.UTF8.GetBytes(json));
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>The values of the representation's key fields (its first field set), as an invalidation names the entity.</summary>
    private static string? EntityId(FetchNode fetch, string typeName, JsonObject representation)
    {
        foreach (var candidate in fetch.Representations.Values)
        {
            if (candidate.TypeName != typeName || candidate.FieldSets.Count == 0)
            {
                continue;
            }

            var parts = new List<string>();
            foreach (var field in candidate.FieldSets[0].Selections.OfType<GraphQLField>())
            {
                parts.Add(representation[field.Name.StringValue] switch
                {
                    JsonValue value when value.TryGetValue<string>(out var text) => text,
                    { } other => other.ToJsonString(),
                    null => "null",
                });
            }

            return parts.Count > 0 ? string.Join(',', parts) : null;
        }

        return null;
    }
}

/// <summary>
/// What an entity fetch answered from the cache still has to store: for each representation sent, the key and the
/// version read before the fetch (null: not looked up). The answer is captured before merging moves its objects into the
/// result, and is stored only when the subgraph reported no error, for as long as its <c>Cache-Control</c> and the
/// operator's policy both allow.
/// </summary>
/// <param name="root">A root fetch: its one entry is the whole <c>data</c> object.</param>
internal sealed class EntityCacheFill(IEntityCache store, LearnedCacheControl learned, List<EntityCacheFill.Pending?> pending, bool root = false)
{
    /// <summary>A root fetch answered from the cache: nothing to send, nothing to store.</summary>
    public static readonly EntityCacheFill Hit = new(null!, new LearnedCacheControl(), []) { Answered = true };

    private List<EntityCacheWrite>? _writes;

    public bool Answered { get; private init; }

    public void Capture(SubgraphResponse response, SubgraphCacheControl? cacheControl)
    {
        ResultList? entities = null;
        if (!root)
        {
            entities = response.Data?["_entities"] as ResultList;
        }
        else if (response.Data is { } data)
        {
            entities = new ResultList(1);
            entities.Add(data);
        }

        if (response.Errors is not null || entities is null || entities.Count != pending.Count)
        {
            return;
        }

        var storable = false;
        var isPrivate = cacheControl?.Private == true;
        _writes = [];
        for (var i = 0; i < pending.Count; i++)
        {
            var policy = pending[i]?.Material.Policy;
            if (Ttl(cacheControl, policy) is not { } ttl)
            {
                continue;
            }

            storable = true;
            if (pending[i] is { } entry && entities[i] is ResultObject entity)
            {
                var scoped = isPrivate || policy?.Private == true;
                var key = entry.Key with { Variant = entry.Material.Variant(scoped) };
                _writes.Add(new EntityCacheWrite(key, entry.Version, entity.ToJsonString(), ttl));
            }
        }

        learned.Uncacheable = !storable;
        learned.Private = isPrivate;
    }

    /// <summary>Not the request's token: a client that leaves after the answer arrived should not waste the fetch.</summary>
    public ValueTask StoreAsync() => _writes is { Count: > 0 } writes ? store.WriteAsync(writes, CancellationToken.None) : ValueTask.CompletedTask;

    /// <summary>
    /// The subgraph's max-age capped by the operator's; the operator's alone when the subgraph sends no header; null
    /// (not stored) for <c>no-store</c>, a zero max-age, or neither saying anything.
    /// </summary>
    internal static TimeSpan? Ttl(SubgraphCacheControl? cacheControl, EntityCachePolicy? policy)
    {
        if (cacheControl?.NoStore == true)
        {
            return null;
        }

        var ttl = cacheControl?.MaxAge is { } maxAge
            ? policy?.MaxAge is { } cap && cap < maxAge ? cap : maxAge
            : policy?.MaxAge;
        return ttl > TimeSpan.Zero ? ttl : null;
    }

    internal sealed record Pending(EntityCacheKey Key, string Version, Material Material);

    /// <summary>
    /// Everything an entry's key hashes besides the entity's id: the fetch's selection, the whole representation
    /// (<c>@requires</c> fields included), the variables the selection uses and, when private, the verified caller. The
    /// scope is only known once the subgraph answered, so the material is kept to key the write.
    /// </summary>
    internal sealed record Material(string Selection, string Representation, string Variables, string Caller, EntityCachePolicy? Policy)
    {
        public string Variant(bool scoped)
        {
            var text = string.Join('\u0000', Selection, Representation, Variables, scoped ? Caller : string.Empty);
            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 16));
        }
    }
}
