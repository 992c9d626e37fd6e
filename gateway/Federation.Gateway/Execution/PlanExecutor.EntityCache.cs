using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Federation.Gateway.Caching.Entities;
using Federation.Gateway.Planning;
using GraphQLParser.AST;

namespace Federation.Gateway.Execution;

public sealed partial class PlanExecutor
{
    /// <summary>
    /// Answers what the entity cache holds of one entity fetch by merging it exactly as a subgraph answer would be merged,
    /// and returns the representations still to send with what to store once they are answered. Without a cache, or
    /// for types the subgraph does not declare cacheable, everything is still to send.
    /// </summary>
    private async Task<(EntityTargets Remaining, EntityCacheFill? Fill)> AnswerFromCacheAsync(
        FetchNode fetch, EntityTargets targets, JsonObject? variables, ResultState state, CancellationToken cancellationToken)
    {
        if (entityCache is null)
        {
            return (targets, null);
        }

        var candidates = new List<(int Index, EntityCacheKey Key, EntityCachePolicy Policy)>();
        string? variableText = null;
        for (var i = 0; i < targets.Count; i++)
        {
            var representation = (JsonObject)targets.Representations[i]!;
            if (representation["__typename"]?.GetValue<string>() is not { } typeName
                || entityCache.Options.PolicyFor(fetch.ServiceName, typeName) is not { } policy
                || EntityId(fetch, typeName, representation) is not { } id)
            {
                continue;
            }

            variableText ??= ClientVariables(fetch.Variables, variables).ToJsonString();
            var variant = Variant(fetch.Selection, representation.ToJsonString(), variableText, policy.Private ? entityCache.PrivateKey : null);
            candidates.Add((i, new EntityCacheKey(fetch.ServiceName, typeName, id, variant), policy));
        }

        if (candidates.Count == 0)
        {
            return (targets, null);
        }

        var reads = await entityCache.Store.ReadAsync([.. candidates.Select(c => c.Key)], cancellationToken);
        var hits = new EntityTargets();
        var hitEntities = new JsonArray();
        var cached = new Dictionary<int, (EntityCacheKey Key, EntityCachePolicy Policy, EntityCacheRead Read)>();
        for (var c = 0; c < candidates.Count; c++)
        {
            cached[candidates[c].Index] = (candidates[c].Key, candidates[c].Policy, reads[c]);
            EntityCacheTelemetry.CountLookup(fetch.ServiceName, candidates[c].Key.TypeName, reads[c].Json is not null);
        }

        // The representations move to the hit and miss lists: a JSON node has one parent.
        var representations = targets.Representations.ToList();
        targets.Representations.Clear();
        var remaining = new EntityTargets();
        var pending = new List<EntityCacheFill.Pending?>();
        for (var i = 0; i < targets.Count; i++)
        {
            var representation = (JsonObject)representations[i]!;
            if (cached.TryGetValue(i, out var entry) && entry.Read.Json is { } json && JsonNode.Parse(json, ResultState.NodeOptions) is JsonObject entity)
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

            pending.Add(entry.Read.Version is { } version ? new EntityCacheFill.Pending(entry.Key, version, entry.Policy.MaxAge) : null);
        }

        if (hits.Count > 0)
        {
            MergeResponse(fetch, new JsonObject { ["data"] = new JsonObject { ["_entities"] = hitEntities } }, hits, state);
        }

        return (remaining, pending.Exists(p => p is not null) ? new EntityCacheFill(entityCache.Store, pending) : null);
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

    private static string Variant(string selection, string representation, string variables, string? caller)
    {
        var text = string.Join('\u0000', selection, representation, variables, caller ?? string.Empty);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 16));
    }
}

/// <summary>
/// What an entity fetch answered from the cache still has to store: for each representation sent, the key and the
/// version read before the fetch (null: not cacheable). The answer is captured before merging moves its objects into the
/// result, and is stored only when the subgraph reported no error.
/// </summary>
internal sealed class EntityCacheFill(IEntityCache store, List<EntityCacheFill.Pending?> pending)
{
    private List<EntityCacheWrite>? _writes;

    public void Capture(JsonObject response)
    {
        if (response["errors"] is not null || response["data"]?["_entities"] is not JsonArray entities || entities.Count != pending.Count)
        {
            return;
        }

        _writes = [];
        for (var i = 0; i < pending.Count; i++)
        {
            if (pending[i] is { } entry && entities[i] is JsonObject entity)
            {
                _writes.Add(new EntityCacheWrite(entry.Key, entry.Version, entity.ToJsonString(), entry.Ttl));
            }
        }
    }

    /// <summary>Not the request's token: a client that leaves after the answer arrived should not waste the fetch.</summary>
    public ValueTask StoreAsync() => _writes is { Count: > 0 } writes ? store.WriteAsync(writes, CancellationToken.None) : ValueTask.CompletedTask;

    internal sealed record Pending(EntityCacheKey Key, string Version, TimeSpan Ttl);
}
