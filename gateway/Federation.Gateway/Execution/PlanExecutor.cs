using System.Diagnostics;
using System.Text.Json.Nodes;
using Federation.Gateway.Pipeline;
using Federation.Gateway.Planning;
using Federation.Gateway.Schema;
using Federation.Gateway.Transport;
using GraphQLParser.AST;

namespace Federation.Gateway.Execution;

/// <summary>
/// Runs a plan's fetches as soon as their dependencies finish, merging every answer into one result tree. Entity fetches
/// to the same subgraph that become ready together go out as one request (one aliased <c>_entities</c> field each).
/// </summary>
/// <param name="headersOf">
/// The headers sent to a subgraph, by subgraph name and whether the fetch is a mutation's root fetch (forwarded ones, the
/// internal token, and for mutations the client's address).
/// </param>
/// <param name="batch">Whether entity fetches to one subgraph may share a request; off sends every fetch on its own.</param>
/// <param name="deadline">
/// The request's deadline: a fetch it cuts off is reported like a failed fetch (partial data, the subgraph named), while a
/// client that went away ends the execution.
/// </param>
/// <param name="entityCache">Answers entity fetches of declared types from the entity cache first; null: every fetch is sent.</param>
public sealed partial class PlanExecutor(
    Supergraph supergraph,
    ISubgraphClient client,
    Func<string, Uri> urlOf,
    Func<string, bool, IReadOnlyDictionary<string, string>?>? headersOf = null,
    bool batch = true,
    RequestDeadline? deadline = null,
    Caching.Entities.EntityCacheScope? entityCache = null)
{
    public async Task ExecuteAsync(QueryPlan plan, JsonObject? variables, ResultState state, CancellationToken cancellationToken)
    {
        foreach (var step in plan.Fetches.GroupBy(f => f.Sequence).OrderBy(g => g.Key))
        {
            await ExecuteStepAsync(plan, [.. step], variables, state, cancellationToken);
        }
    }

    private async Task ExecuteStepAsync(QueryPlan plan, List<FetchNode> pending, JsonObject? variables, ResultState state, CancellationToken cancellationToken)
    {
        var inStep = pending.Select(f => f.Id).ToHashSet();
        var dispatched = new HashSet<int>();
        var done = new HashSet<int>();
        var running = new Dictionary<Task, List<FetchNode>>();
        bool Ready(FetchNode f) => f.DependsOn.All(d => !inStep.Contains(d) || done.Contains(d));

        // Every dependency already sent: the fetch becomes ready the moment those answers land.
        bool InFlight(FetchNode f) => f.DependsOn.All(d => !inStep.Contains(d) || dispatched.Contains(d));

        while (true)
        {
            var ready = pending.Where(Ready).ToList();
            if (ready.Count == 0 && running.Count == 0 && pending.Count > 0)
            {
                // The planner never emits cycles; if one slipped through, run what is left rather than wait forever.
                ready = [.. pending];
            }

            foreach (var group in ready.GroupBy(f => batch && f.IsEntityFetch ? f.ServiceName : "#" + f.Id))
            {
                var members = group.ToList();

                // Hold a batch back while another fetch to the same subgraph waits only on fetches already in flight: it
                // is ready when they land, and then both go in one request. Something is always in flight while a
                // batch is held, so holding never stalls the plan.
                if (batch && members[0].IsEntityFetch && running.Count > 0
                    && pending.Exists(f => f.IsEntityFetch && f.ServiceName == members[0].ServiceName && !Ready(f) && InFlight(f)))
                {
                    continue;
                }

                foreach (var member in members)
                {
                    pending.Remove(member);
                    dispatched.Add(member.Id);
                }

                var idempotent = plan.Operation != OperationType.Mutation || members[0].IsEntityFetch;
                running[members.Count == 1
                    ? FetchAsync(members[0], idempotent, variables, state, cancellationToken)
                    : FetchBatchAsync(plan, members, variables, state, cancellationToken)] = members;
            }

            if (running.Count == 0)
            {
                return;
            }

            await Task.WhenAny(running.Keys);

            // Take every fetch finished by now, so the fetches they unblock together are sent together.
            foreach (var (task, members) in running.Where(r => r.Key.IsCompleted).ToList())
            {
                if (!task.IsCompletedSuccessfully)
                {
                    // Let the others finish (they write into the shared result) before the failure surfaces.
                    await Task.WhenAll(running.Keys);
                }

                running.Remove(task);
                foreach (var member in members)
                {
                    done.Add(member.Id);
                }
            }
        }
    }

    private async Task FetchAsync(FetchNode fetch, bool idempotent, JsonObject? variables, ResultState state, CancellationToken cancellationToken)
    {
        EntityTargets? targets = null;
        if (fetch.IsEntityFetch)
        {
            lock (state.Sync)
            {
                targets = BuildRepresentations(fetch, state.Data);
            }

            if (targets.Count == 0)
            {
                return;
            }

            (targets, var fill) = await AnswerFromCacheAsync(fetch, targets, variables, state, cancellationToken);
            if (targets.Count > 0)
            {
                await SendAsync(fetch, idempotent, variables, targets, state, cancellationToken, fill);
            }

            return;
        }

        var rootFill = idempotent ? await AnswerRootFromCacheAsync(fetch, variables, state, cancellationToken) : null;
        if (rootFill is { Answered: true })
        {
            return;
        }

        await SendAsync(fetch, idempotent, variables, targets, state, cancellationToken, rootFill);
    }

    private async Task SendAsync(
        FetchNode fetch,
        bool idempotent,
        JsonObject? variables,
        EntityTargets? targets,
        ResultState state,
        CancellationToken cancellationToken,
        EntityCacheFill? fill = null)
    {
        var requestVariables = ClientVariables(fetch.Variables, variables);
        if (targets is not null)
        {
            requestVariables["representations"] = targets.ToVariable();
        }

        var request = new JsonObject { ["query"] = fetch.Operation };
        if (requestVariables.Count > 0)
        {
            request["variables"] = requestVariables;
        }

        SubgraphResponse response;
        try
        {
            (response, var cacheControl) = await RequestAsync(fetch.ServiceName, urlOf(fetch.Graph), request, idempotent, cancellationToken);
            fill?.Capture(response, cacheControl);
        }
        catch (SubgraphException e)
        {
            state.AddError(DownstreamError(e.Message, fetch.ServiceName, FetchPath(targets), null));
            return;
        }

        MergeResponse(fetch, response, targets, state);
        if (fill is not null)
        {
            await fill.StoreAsync();
        }
    }

    /// <summary>
    /// Queries and entity fetches go as reads, which the client may send twice within the subgraph's one timeout after a
    /// transport failure; a mutation's root fields go exactly once.
    /// </summary>
    private async Task<SubgraphAnswer> RequestAsync(string service, Uri url, JsonObject request, bool idempotent, CancellationToken cancellationToken)
    {
        var headers = headersOf?.Invoke(service, !idempotent);
        using var activity = GatewayTelemetry.StartFetch(service, idempotent);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = idempotent
                ? await client.ExecuteCacheableReadAsync(service, url, request, headers, cancellationToken)
                : new SubgraphAnswer(await client.ExecuteResponseAsync(service, url, request, headers, cancellationToken), null);
            GatewayTelemetry.FetchCompleted(activity, service, Stopwatch.GetElapsedTime(started), response.Response, null);
            return response;
        }
        catch (OperationCanceledException e) when (deadline?.HasPassed == true)
        {
            var failure = new SubgraphException(deadline.Describe(service), e);
            GatewayTelemetry.FetchCompleted(activity, service, Stopwatch.GetElapsedTime(started), null, failure);
            throw failure;
        }
        catch (SubgraphException e)
        {
            GatewayTelemetry.FetchCompleted(activity, service, Stopwatch.GetElapsedTime(started), null, e);
            throw;
        }
    }

    /// <summary>
    /// Merges one subgraph answer into the result. Only the writes into the shared tree hold <see cref="ResultState.Sync"/>:
    /// renaming aliases and re-pathing errors touch the answer alone.
    /// </summary>
    private static void MergeResponse(FetchNode fetch, SubgraphResponse response, EntityTargets? targets, ResultState state)
    {
        var data = response.Data;
        if (fetch.HasInternalAliases)
        {
            ResultState.StripAliases(data);
        }

        var errors = response.Errors;
        if (targets is null)
        {
            if (data is not null)
            {
                lock (state.Sync)
                {
                    ResultState.DeepMerge(state.Data, data);
                }
            }
        }
        else if (data?["_entities"] is ResultList entities && entities.Count == targets.Count)
        {
            lock (state.Sync)
            {
                MergeEntities(fetch, entities, targets);
            }
        }
        else if (data is not null && errors is null)
        {
            state.AddError(DownstreamError(
                $"Expected \"data._entities\" from subgraph \"{fetch.ServiceName}\" to contain {targets.Count} elements",
                fetch.ServiceName,
                FetchPath(targets),
                null));
        }

        if (errors is not null)
        {
            var downstream = new List<JsonObject>(errors.Count);
            foreach (var error in errors.OfType<JsonObject>())
            {
                var message = error["message"]?.GetValue<string>() ?? $"Error while fetching subquery from service \"{fetch.ServiceName}\"";
                var extensions = error["extensions"] as JsonObject;
                if (EntityIndex(error["path"] as JsonArray, targets) is { } index)
                {
                    // One representation stands for every client path that reached the same entity (duplicates are sent
                    // once), so its error is reported at each of them, as Apollo Gateway does.
                    foreach (var owner in targets!.OwnersOf(index))
                    {
                        downstream.Add(DownstreamError(message, fetch.ServiceName, EntityPath(targets.Paths.ToJson(owner), (JsonArray)error["path"]!), extensions));
                    }
                }
                else
                {
                    downstream.Add(DownstreamError(message, fetch.ServiceName, (error["path"] as JsonArray)?.DeepClone() as JsonArray, extensions));
                }
            }

            state.AddErrors(downstream);
        }
    }

    private static void MergeEntities(FetchNode fetch, ResultList entities, EntityTargets targets)
    {
        for (var i = 0; i < entities.Count; i++)
        {
            if (entities[i] is not ResultObject entity)
            {
                continue;
            }

            var owners = targets.OwnersOf(i);
            for (var j = 0; j < owners.Length; j++)
            {
                var copy = j == owners.Length - 1 ? entity : (ResultObject)entity.DeepClone();

                // A representation sent as an @interfaceObject comes back named after the interface; keep the concrete name.
                if (copy.TryGetValue("__typename", out var returned)
                    && (returned as ResultLeaf)?.GetString() is { } name
                    && (owners[j].Entity["__typename"] as ResultLeaf)?.GetString() is { } existing
                    && fetch.Representations.TryGetValue(existing, out var representation)
                    && representation.TypeName != existing && name == representation.TypeName)
                {
                    copy.Remove("__typename");
                }

                ResultState.DeepMerge(owners[j].Entity, copy);
            }
        }
    }

    /// <summary>The representation an error path into <c>_entities</c> (<c>["_entities", i, ...]</c>) is about, if any.</summary>
    private static int? EntityIndex(JsonArray? path, EntityTargets? targets) =>
        targets is not null && path is { Count: >= 2 } && path[1] is JsonValue v && v.TryGetValue<int>(out var index) && index >= 0 && index < targets.Count
            ? index
            : null;

    /// <summary>An error path into <c>_entities</c> continued from the client's path to that entity.</summary>
    private static JsonArray EntityPath(JsonArray owner, JsonArray path)
    {
        foreach (var item in path.Skip(2))
        {
            owner.Add(item?.DeepClone());
        }

        return owner;
    }

    private static JsonArray? FetchPath(EntityTargets? targets) =>
        targets?.FirstPath();

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
