using System.Text.Json.Nodes;
using Federation.Gateway.Planning;
using Federation.Gateway.Schema;
using Federation.Gateway.Transport;
using GraphQLParser.AST;

namespace Federation.Gateway.Execution;

/// <summary>Runs a plan's fetches as soon as their dependencies finish, merging every answer into one result tree.</summary>
public sealed partial class PlanExecutor(Supergraph supergraph, ISubgraphClient client, Func<string, Uri> urlOf, IReadOnlyDictionary<string, string>? headers = null)
{
    public async Task ExecuteAsync(QueryPlan plan, JsonObject? variables, ResultState state, CancellationToken cancellationToken)
    {
        foreach (var step in plan.Fetches.GroupBy(f => f.Sequence).OrderBy(g => g.Key))
        {
            var fetches = step.ToDictionary(f => f.Id);
            var tasks = new Dictionary<int, Task>();
            var scheduling = new HashSet<int>();
            Task Run(FetchNode fetch)
            {
                if (!tasks.TryGetValue(fetch.Id, out var task))
                {
                    // The planner never emits cycles; if one slipped through, break it rather than recurse forever.
                    if (!scheduling.Add(fetch.Id))
                    {
                        return Task.CompletedTask;
                    }

                    var dependencies = fetch.DependsOn.Where(fetches.ContainsKey).Select(d => Run(fetches[d])).ToList();
                    task = RunAfterAsync(dependencies, fetch, plan.Operation != OperationType.Mutation || fetch.IsEntityFetch, variables, state, cancellationToken);
                    tasks[fetch.Id] = task;
                }

                return task;
            }

            await Task.WhenAll(fetches.Values.Select(Run).ToList());
        }
    }

    private async Task RunAfterAsync(
        List<Task> dependencies,
        FetchNode fetch,
        bool idempotent,
        JsonObject? variables,
        ResultState state,
        CancellationToken cancellationToken)
    {
        await Task.WhenAll(dependencies);
        await FetchAsync(fetch, idempotent, variables, state, cancellationToken);
    }

    private async Task FetchAsync(FetchNode fetch, bool idempotent, JsonObject? variables, ResultState state, CancellationToken cancellationToken)
    {
        var requestVariables = new JsonObject();
        foreach (var name in fetch.Variables)
        {
            if (variables is not null && variables.TryGetPropertyValue(name, out var value))
            {
                requestVariables[name] = value?.DeepClone();
            }
        }

        List<List<(JsonObject Entity, List<JsonNode> Path)>>? targets = null;
        if (fetch.IsEntityFetch)
        {
            JsonArray representations;
            lock (state.Sync)
            {
                (representations, targets) = BuildRepresentations(fetch, state.Data);
            }

            if (representations.Count == 0)
            {
                return;
            }

            requestVariables["representations"] = representations;
        }

        var request = new JsonObject { ["query"] = fetch.Operation };
        if (requestVariables.Count > 0)
        {
            request["variables"] = requestVariables;
        }

        JsonObject response;
        try
        {
            try
            {
                response = await client.ExecuteAsync(fetch.ServiceName, urlOf(fetch.Graph), request, headers, cancellationToken);
            }
            catch (SubgraphException) when (idempotent)
            {
                // Queries and entity fetches are safe to repeat once (a dropped keep-alive connection, a restart);
                // mutation root fields never are.
                response = await client.ExecuteAsync(fetch.ServiceName, urlOf(fetch.Graph), request, headers, cancellationToken);
            }
        }
        catch (SubgraphException e)
        {
            lock (state.Sync)
            {
                state.Errors.Add(DownstreamError(e.Message, fetch.ServiceName, FetchPath(fetch, targets), null));
            }

            return;
        }

        lock (state.Sync)
        {
            MergeResponse(fetch, response, targets, state);
        }
    }

    private static void MergeResponse(FetchNode fetch, JsonObject response, List<List<(JsonObject Entity, List<JsonNode> Path)>>? targets, ResultState state)
    {
        var data = response["data"] as JsonObject;
        if (fetch.Operation.Contains("fedalias_", StringComparison.Ordinal))
        {
            ResultState.StripAliases(data);
        }

        if (targets is null)
        {
            if (data is not null)
            {
                ResultState.DeepMerge(state.Data, data);
            }
        }
        else if (data?["_entities"] is JsonArray entities && entities.Count == targets.Count)
        {
            for (var i = 0; i < entities.Count; i++)
            {
                if (entities[i] is not JsonObject entity)
                {
                    continue;
                }

                var owners = targets[i];
                for (var j = 0; j < owners.Count; j++)
                {
                    var copy = j == owners.Count - 1 ? entity : (JsonObject)entity.DeepClone();
                    if (!copy.ContainsKey("__typename") && owners[j].Entity["__typename"] is { } typename)
                    {
                        copy["__typename"] = typename.DeepClone();
                    }

                    // A representation sent as an @interfaceObject comes back named after the interface; keep the concrete name.
                    if (copy["__typename"]?.GetValue<string>() is { } name
                        && owners[j].Entity["__typename"]?.GetValue<string>() is { } existing
                        && fetch.Representations.TryGetValue(existing, out var representation)
                        && representation.TypeName != existing && name == representation.TypeName)
                    {
                        copy.Remove("__typename");
                    }

                    ResultState.DeepMerge(owners[j].Entity, copy);
                }
            }
        }
        else if (data is not null && response["errors"] is null)
        {
            state.Errors.Add(DownstreamError(
                $"Expected \"data._entities\" from subgraph \"{fetch.ServiceName}\" to contain {targets.Count} elements",
                fetch.ServiceName,
                FetchPath(fetch, targets),
                null));
        }

        if (response["errors"] is JsonArray errors)
        {
            foreach (var error in errors.OfType<JsonObject>())
            {
                var path = RePath(fetch, error["path"] as JsonArray, targets);
                state.Errors.Add(DownstreamError(
                    error["message"]?.GetValue<string>() ?? $"Error while fetching subquery from service \"{fetch.ServiceName}\"",
                    fetch.ServiceName,
                    path,
                    error["extensions"] as JsonObject));
            }
        }
    }

    private static JsonArray? RePath(FetchNode fetch, JsonArray? path, List<List<(JsonObject Entity, List<JsonNode> Path)>>? targets)
    {
        if (path is null)
        {
            return null;
        }

        var items = path.Select(p => p?.DeepClone()).ToList();
        if (targets is not null && items.Count >= 2 && items[1] is JsonValue v && v.TryGetValue<int>(out var index) && index >= 0 && index < targets.Count && targets[index].Count > 0)
        {
            return new JsonArray([.. targets[index][0].Path.Select(p => p.DeepClone()), .. items.Skip(2)]);
        }

        return new JsonArray([.. items]);
    }

    private static JsonArray? FetchPath(FetchNode fetch, List<List<(JsonObject Entity, List<JsonNode> Path)>>? targets) =>
        targets is { Count: > 0 } && targets[0].Count > 0 ? new JsonArray([.. targets[0][0].Path.Select(p => p.DeepClone())]) : null;

    private static JsonObject DownstreamError(string message, string serviceName, JsonArray? path, JsonObject? extensions)
    {
        var ext = extensions is null ? new JsonObject() : (JsonObject)extensions.DeepClone();
        ext["serviceName"] = serviceName;
        if (!ext.ContainsKey("code"))
        {
            ext["code"] = "DOWNSTREAM_SERVICE_ERROR";
        }

        var error = new JsonObject { ["message"] = message };
        if (path is not null)
        {
            error["path"] = path;
        }

        error["extensions"] = ext;
        return error;
    }
}
