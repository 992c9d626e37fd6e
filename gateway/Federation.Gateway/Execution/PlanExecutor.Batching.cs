using System.Text;
using System.Text.Json.Nodes;
using Federation.Gateway.Planning;
using Federation.Gateway.Transport;

namespace Federation.Gateway.Execution;

public sealed partial class PlanExecutor
{
    /// <summary>
    /// Sends several entity fetches to one subgraph as one request, each under its own <c>_entities</c> alias with its
    /// own representations, then merges every part exactly as if it had been fetched alone (answers, errors and paths).
    /// </summary>
    private async Task FetchBatchAsync(QueryPlan plan, List<FetchNode> fetches, JsonObject? variables, ResultState state, CancellationToken cancellationToken)
    {
        var parts = new List<BatchPart>(fetches.Count);
        lock (state.Sync)
        {
            foreach (var fetch in fetches)
            {
                var targets = BuildRepresentations(fetch, state.Data);
                if (targets.Count > 0)
                {
                    parts.Add(new BatchPart(fetch, targets));
                }
            }
        }

        if (entityCache is not null)
        {
            var answered = await Task.WhenAll(parts.Select(p => AnswerFromCacheAsync(p.Fetch, p.Targets, variables, state, cancellationToken)));
            parts = [.. parts.Select((p, i) => p with { Targets = answered[i].Remaining, Fill = answered[i].Fill }).Where(p => p.Targets.Count > 0)];
        }

        if (parts.Count == 0)
        {
            return;
        }

        if (parts.Count == 1)
        {
            await SendAsync(parts[0].Fetch, true, variables, parts[0].Targets, state, cancellationToken, parts[0].Fill);
            return;
        }

        var batch = BatchOperations.Get(plan, parts);
        var requestVariables = ClientVariables(parts.SelectMany(p => p.Fetch.Variables).Distinct(StringComparer.Ordinal), variables);
        for (var i = 0; i < parts.Count; i++)
        {
            requestVariables[batch.RepresentationVariables[i]] = parts[i].Targets.ToVariable();
        }

        var request = new JsonObject { ["query"] = batch.Operation, ["variables"] = requestVariables };
        var service = parts[0].Fetch.ServiceName;
        var url = urlOf(parts[0].Fetch.Graph);
        SubgraphResponse response;
        SubgraphCacheControl? cacheControl;
        try
        {
            (response, cacheControl) = await RequestAsync(service, url, request, idempotent: true, cancellationToken);
        }
        catch (SubgraphException e)
        {
            state.AddErrors([.. parts.Select(part => DownstreamError(e.Message, service, FetchPath(part.Targets), null))]);
            return;
        }

        // Split the answer into one response per part, shaped as its own fetch would have been answered; each merges
        // on its own, so only the writes into the shared tree wait for the result lock.
        var data = response.Data;
        var errors = response.Errors?.OfType<JsonObject>().ToList() ?? [];
        for (var i = 0; i < parts.Count; i++)
        {
            var alias = BatchOperations.Alias(i);
            var part = new SubgraphResponse();
            if (data is not null)
            {
                var entities = new ResultObject(1);
                entities.Append("_entities", data[alias]);
                part.Data = entities;
            }

            // An error without a path into one part (a request-level failure) is reported once, with the first part.
            var own = errors
                .Where(e => PathRoot(e) is { } root ? root == alias : i == 0)
                .Select(e => PartError(e, alias))
                .ToList();
            if (own.Count > 0)
            {
                part.Errors = new JsonArray([.. own]);
            }

            // One header covers the whole request: each part is stored as the batch's most restrictive field allows.
            parts[i].Fill?.Capture(part, cacheControl);
            MergeResponse(parts[i].Fetch, part, parts[i].Targets, state);
        }

        foreach (var part in parts)
        {
            if (part.Fill is not null)
            {
                await part.Fill.StoreAsync();
            }
        }
    }

    /// <summary>A subgraph error of a batched request as the unbatched fetch would have received it (path under <c>_entities</c>).</summary>
    private static JsonObject PartError(JsonObject error, string alias)
    {
        var copy = (JsonObject)error.DeepClone();
        if (PathRoot(copy) == alias)
        {
            copy["path"]![0] = "_entities";
        }

        return copy;
    }

    /// <summary>The first segment of an error's path when it is a field name (in a batch: the alias of the part).</summary>
    private static string? PathRoot(JsonObject error) =>
        error["path"] is JsonArray { Count: > 0 } path && path[0]?.GetValueKind() == System.Text.Json.JsonValueKind.String
            ? path[0]!.GetValue<string>()
            : null;

    private static JsonObject ClientVariables(IEnumerable<string> names, JsonObject? variables)
    {
        var requestVariables = new JsonObject();
        foreach (var name in names)
        {
            if (variables is not null && variables.TryGetPropertyValue(name, out var value))
            {
                requestVariables[name] = value?.DeepClone();
            }
        }

        return requestVariables;
    }
}

/// <summary>One entity fetch of a batch with the representations it sends (and what to store of their answers).</summary>
internal sealed record BatchPart(FetchNode Fetch, EntityTargets Targets, EntityCacheFill? Fill = null);

/// <summary>The printed operation of a batch of entity fetches, kept per plan and set of fetches.</summary>
internal sealed record BatchOperation(string Operation, IReadOnlyList<string> RepresentationVariables);

internal static class BatchOperations
{
    public static string Alias(int index) => "_" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static BatchOperation Get(QueryPlan plan, List<BatchPart> parts)
    {
        var key = new StringBuilder();
        foreach (var part in parts)
        {
            key.Append(part.Fetch.Id).Append(',');
        }

        return plan.Batches.GetOrAdd(key.ToString(), static (_, parts) => Print([.. parts.Select(p => p.Fetch)]), parts);
    }

    /// <summary>
    /// Builds the batch from the plan's parts of each fetch (name, selection under <c>_entities</c>, variable
    /// declarations), never from another fetch's printed text.
    /// </summary>
    private static BatchOperation Print(IReadOnlyList<FetchNode> fetches)
    {
        var clientVariables = fetches.SelectMany(f => f.Variables).ToHashSet(StringComparer.Ordinal);
        var names = new List<string>();
        for (var i = 0; i < fetches.Count; i++)
        {
            var name = "representations" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            while (clientVariables.Contains(name))
            {
                name = "_" + name;
            }

            names.Add(name);
        }

        // Named after the first fetch as Apollo names subgraph operations (Op__subgraph__id), with every batched id.
        var sb = new StringBuilder("query");
        if (fetches[0].OperationName is { } first)
        {
            sb.Append(' ').Append(first);
            foreach (var fetch in fetches.Skip(1))
            {
                sb.Append('_').Append(fetch.Id);
            }
        }

        var declarations = names.Select(n => "$" + n + ": [_Any!]!")
            .Concat(fetches.SelectMany(f => f.VariableDeclarations).Distinct(StringComparer.Ordinal));
        sb.Append('(').AppendJoin(", ", declarations).Append(") {");
        for (var i = 0; i < fetches.Count; i++)
        {
            sb.Append(i == 0 ? string.Empty : " ").Append(Alias(i)).Append(": _entities(representations: $").Append(names[i]).Append(") ").Append(fetches[i].Selection);
        }

        sb.Append('}');
        return new BatchOperation(sb.ToString(), names);
    }
}
