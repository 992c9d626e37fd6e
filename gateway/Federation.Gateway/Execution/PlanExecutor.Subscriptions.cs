using System.Text.Json.Nodes;
using Federation.Gateway.Planning;
using Federation.Gateway.Transport;

namespace Federation.Gateway.Execution;

public sealed partial class PlanExecutor
{
    /// <summary>
    /// The request that opens a subscription plan's root fetch at its subgraph, and the headers it goes with (those of
    /// a read: forwarded ones and the internal token).
    /// </summary>
    public (JsonObject Request, IReadOnlyDictionary<string, string>? Headers) SubscriptionRequest(FetchNode root, JsonObject? variables)
    {
        var request = new JsonObject { ["query"] = root.Operation };
        var requestVariables = ClientVariables(root.Variables, variables);
        if (requestVariables.Count > 0)
        {
            request["variables"] = requestVariables;
        }

        return (request, headersOf?.Invoke(root.ServiceName, false));
    }

    /// <summary>
    /// Completes one subscription event: <paramref name="answer"/> is merged as the answer of the plan's root fetch,
    /// then every other fetch runs as for a query (entity fetches to the other subgraphs).
    /// </summary>
    public async Task ExecuteEventAsync(QueryPlan plan, JsonObject answer, JsonObject? variables, ResultState state, CancellationToken cancellationToken)
    {
        var root = plan.SubscriptionRoot;
        MergeResponse(root, SubgraphResponse.From(answer), null, state);
        var rest = plan.Fetches.Where(f => f.Id != root.Id).ToList();
        if (rest.Count > 0 && state.Data.Count > 0)
        {
            await ExecuteStepAsync(plan, rest, variables, state, cancellationToken);
        }
    }
}
