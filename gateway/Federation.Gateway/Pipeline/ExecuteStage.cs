using System.Text.Json.Nodes;
using Federation.Gateway.Execution;
using Federation.Gateway.Schema;
using Federation.Gateway.Transport;
using GraphQL;
using GraphQL.SystemTextJson;
using Microsoft.Extensions.Logging;

namespace Federation.Gateway.Pipeline;

/// <summary>
/// Runs the plan's fetches against the subgraphs and, alongside them, answers the operation's introspection root
/// fields (<c>__schema</c>, <c>__type</c>) from the API schema.
/// </summary>
public sealed class ExecuteStage(ISubgraphClient client, GatewayOptions options, ILogger<ExecuteStage> logger) : IRequestStage
{
    private static readonly GraphQLSerializer Serializer = new();

    public string Name => "graphql.execute";

    public async ValueTask InvokeAsync(RequestContext context)
    {
        var plan = context.Plan!;
        var executor = ExecutorFor(context);
        var fetches = context.RootAnswer is { } answer
            ? executor.ExecuteEventAsync(plan, answer, context.Request.Variables, context.Results, context.CancellationToken)
            : executor.ExecuteAsync(plan, context.Request.Variables, context.Results, context.CancellationToken);
        if (AsksIntrospection(context))
        {
            var introspection = ExecuteIntrospectionAsync(context);
            await Task.WhenAll(fetches, introspection);
            context.Introspection = await introspection;
        }
        else
        {
            await fetches;
        }

        logger.Executed(context.RequestId, context.OperationName, plan.Fetches.Count, context.Results.Errors.Count);
    }

    /// <summary>Runs the request's plan: its subgraph URLs, the headers each subgraph gets, batching and the entity cache.</summary>
    internal PlanExecutor ExecutorFor(RequestContext context)
    {
        var supergraph = context.Schema.Supergraph;
        var headers = new SubgraphHeaders(context.Request.Headers, context.Request.Caller, options.InternalTokens, context.Request.ForwardedFor);
        // Only queries read the cache: a mutation's own entity fetches read what it just wrote, and a subscription's event
        // announces a change the cache may not have been told about yet.
        var entityCache = options.EntityCache.Active && context.Operation!.Operation == GraphQLParser.AST.OperationType.Query
            ? new Caching.Entities.EntityCacheScope(options.EntityCache, context.Request.Caller)
            : null;
        return new PlanExecutor(
            supergraph, client, graph => SubgraphUrl(supergraph, graph), headers.For, options.BatchEntityFetches, context.Deadline, entityCache);
    }

    internal Uri SubgraphUrl(Supergraph supergraph, string graph)
    {
        var info = supergraph.Subgraphs[graph];
        var url = options.SubgraphUrls.GetValueOrDefault(info.Name) ?? info.Url;
        return new Uri(url, UriKind.Absolute);
    }

    /// <summary>Reads the root fields from the request's shared collector, which shaping reads again from its cache.</summary>
    private static bool AsksIntrospection(RequestContext context)
    {
        foreach (var field in context.Fields.Shared(context.RootType, [context.Operation!.SelectionSet]))
        {
            if (field.Name is "__schema" or "__type")
            {
                return true;
            }
        }

        return false;
    }

    private static async Task<JsonObject?> ExecuteIntrospectionAsync(RequestContext context)
    {
        var result = await new DocumentExecuter().ExecuteAsync(o =>
        {
            o.Schema = context.Schema.Supergraph.Api.Schema;
            o.Query = context.Query;
            o.OperationName = context.Request.OperationName;
            o.Variables = context.Inputs;
            o.ValidationRules = [];
            o.CancellationToken = context.CancellationToken;
            o.ThrowOnUnhandledException = false;
        });
        return JsonNode.Parse(Serializer.Serialize(result))?["data"] as JsonObject;
    }
}
