using System.Diagnostics;
using System.Text.Json.Nodes;
using Federation.Gateway.Caching;
using Federation.Gateway.Pipeline;
using Federation.Gateway.Planning;
using Federation.Gateway.Schema;
using Federation.Gateway.Transport;
using Federation.GraphQLLimits;
using GraphQLParser;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Federation.Gateway;

/// <summary>
/// The federation engine: runs each GraphQL request through the <see cref="RequestPipeline"/> (persisted document,
/// parse, operation, limits, validate, authorize, cost, plan, execute, shape, respond) over the current supergraph.
/// </summary>
public sealed class GatewayEngine : IDisposable
{
    private readonly GatewayOptions _options;
    private readonly ISubgraphClient _client;
    private readonly bool _ownsClient;
    private readonly SseSubgraphSubscriptions _subscriptions;
    private readonly ILogger _logger;
    private readonly Subscriptions.SharedEventResults _sharedEvents;
    private volatile GatewaySchema _schema;

    /// <param name="loggerFactory">Loggers for the pipeline stages and the subgraph client; none when null.</param>
    public GatewayEngine(string supergraphSdl, GatewayOptions? options = null, ISubgraphClient? client = null, ILoggerFactory? loggerFactory = null)
    {
        _options = options ?? new GatewayOptions();
        loggerFactory ??= NullLoggerFactory.Instance;
        _logger = loggerFactory.CreateLogger<GatewayEngine>();
        _ownsClient = client is null;
        _client = client ?? new HttpSubgraphClient(
            _options.HandlerFactory,
            _options.SubgraphTimeout,
            name => _options.SubgraphTimeouts.TryGetValue(name, out var timeout) ? timeout : null,
            _options.CircuitBreaker,
            _options.TimeProvider,
            _options.DeduplicateSubgraphRequests,
            _options.MaxConnectionsPerSubgraph,
            loggerFactory.CreateLogger<HttpSubgraphClient>(),
            name => _options.SubgraphReplicas.GetValueOrDefault(name),
            name => _options.SubgraphHttp2.TryGetValue(name, out var http2) ? http2 : _options.Http2);
        _subscriptions = new SseSubgraphSubscriptions(_options.HandlerFactory, name => (_client as HttpSubgraphClient)?.ReplicasOf(name));
        _sharedEvents = new Subscriptions.SharedEventResults(_options.TimeProvider);
        _schema = new GatewaySchema(Supergraph.Parse(supergraphSdl), _options.PlanCacheSize);

        // The host authenticates before the engine runs (GatewayRequest.Caller); a response cache would go around
        // plan/execute: one more entry here, the other stages stay as they are.
        IRequestStage[] demandControl = _options.DemandControl.Enabled
            ? [new DemandControlStage(_options.DemandControl, loggerFactory.CreateLogger<DemandControlStage>())]
            : [];
        var execute = new ExecuteStage(_client, _options, loggerFactory.CreateLogger<ExecuteStage>());
        IRequestStage[] complete = [execute, new ShapeStage(loggerFactory.CreateLogger<ShapeStage>()), new RespondStage(loggerFactory.CreateLogger<RespondStage>())];
        EventPipeline = new RequestPipeline(complete);
        Pipeline = new RequestPipeline(
        [
            new PersistedDocumentStage(
                new PersistedQueries(_options.PersistedQueryCapacity, _options.PersistedDocumentStore, _options.TrustedDocuments, _options.PersistedDocumentMode),
                loggerFactory.CreateLogger<PersistedDocumentStage>()),
            new ParseStage(loggerFactory.CreateLogger<ParseStage>()),
            new OperationStage(loggerFactory.CreateLogger<OperationStage>()),
            new LimitsStage(
                new OperationLimitSettings(_options.MaxDepth, _options.MaxAliases, _options.MaxFields, _options.MaxIntrospectionDepth),
                loggerFactory.CreateLogger<LimitsStage>()),
            new ValidateStage(loggerFactory.CreateLogger<ValidateStage>()),
            new AuthorizeStage(_options.RejectUnauthorized, loggerFactory.CreateLogger<AuthorizeStage>()),
            .. demandControl,
            new PlanStage(loggerFactory.CreateLogger<PlanStage>()),
            new SubscribeStage(_subscriptions, execute, EventsOf, _options, loggerFactory.CreateLogger<SubscribeStage>()),
            .. complete,
        ]);
    }

    public Supergraph Supergraph => _schema.Supergraph;

    /// <summary>The current supergraph's subscription fields fed by Kafka.</summary>
    public Subscriptions.EventStreamFields EventStreamFields => _schema.EventStreams;

    public GatewayOptions Options => _options;

    public RequestPipeline Pipeline { get; }

    /// <summary>The stages that complete one subscription event: execute (the root fetch answered by the event), shape, respond.</summary>
    public RequestPipeline EventPipeline { get; }

    /// <summary>Swaps in a new supergraph; requests already running finish on the schema they started with.</summary>
    /// <remarks>Subscriptions opened on the previous supergraph end with <c>SUBSCRIPTION_SCHEMA_RELOAD</c>.</remarks>
    public void Reload(string supergraphSdl)
    {
        var next = new GatewaySchema(Supergraph.Parse(supergraphSdl), _options.PlanCacheSize);
        Interlocked.Exchange(ref _schema, next).Retire();
    }

    public QueryPlan Plan(string query, string? operationName = null, JsonObject? variables = null)
    {
        var schema = _schema;
        var document = Parser.Parse(query);
        var operation = OperationStage.Select(document, operationName) ?? throw new PlanningException("No operation to plan.");
        var values = variables ?? [];
        return schema.Planner.Plan(document, operation, name => values[name] is JsonValue v && v.TryGetValue<bool>(out var b) ? b : null);
    }

    public async Task<GatewayResult> ExecuteAsync(GatewayRequest request, CancellationToken cancellationToken = default)
    {
        using var deadline = new RequestDeadline(_options.RequestTimeout, cancellationToken);
        var context = new RequestContext(_schema, request, deadline.Token) { Deadline = deadline };
        return await RunAsync(Pipeline, context, "graphql.request");
    }

    /// <summary>
    /// Completes each event of a subscription on a context of its own, within the request timeout; an event every
    /// subscriber of a topic gets is resolved once per identical subscription (<see cref="SharedEventResults"/>).
    /// </summary>
    private Func<Subscriptions.SourceEvent, CancellationToken, Task<GatewayResult>> EventsOf(RequestContext subscription) =>
        async (item, cancellationToken) =>
        {
            if (item.EventId is null)
            {
                return await ResolveEventAsync(subscription, item, cancellationToken);
            }

            var shared = _sharedEvents.GetAsync(subscription, item, () => ResolveEventAsync(subscription, item, subscription.Schema.Retired));
            return await shared.WaitAsync(cancellationToken);
        };

    private async Task<GatewayResult> ResolveEventAsync(RequestContext subscription, Subscriptions.SourceEvent item, CancellationToken cancellationToken)
    {
        using var deadline = new RequestDeadline(_options.RequestTimeout, cancellationToken);
        return await RunAsync(EventPipeline, subscription.ForEvent(item.Answer, deadline), "graphql.subscription.event");
    }

    private async Task<GatewayResult> RunAsync(RequestPipeline pipeline, RequestContext context, string activityName)
    {
        var deadline = context.Deadline!;
        using var activity = GatewayTelemetry.Source.StartActivity(activityName);
        var started = Stopwatch.GetTimestamp();
        GatewayResult? result = null;
        try
        {
            return result = await pipeline.RunAsync(context);
        }
        catch (OperationCanceledException) when (deadline.HasPassed)
        {
            // Fetches cut off by the deadline are answered as partial data; this is the deadline passing elsewhere.
            _logger.DeadlinePassed(context.RequestId, context.OperationName, deadline.Limit.TotalSeconds);
            return result = GraphQLErrors.Result(504, GraphQLErrors.Error($"The request did not finish within {deadline.Limit.TotalSeconds:0.###} s.", "GATEWAY_TIMEOUT"));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            activity?.AddException(e);
            activity?.SetStatus(ActivityStatusCode.Error);
            _logger.Unexpected(e, context.RequestId, context.OperationName);

            // The exception's message may carry internals (paths, SQL, addresses); the request id finds it in the log.
            var extensions = new JsonObject { ["requestId"] = context.RequestId };
            return result = GraphQLErrors.Result(500, GraphQLErrors.Error("Internal server error.", "INTERNAL_SERVER_ERROR", extensions: extensions));
        }
        finally
        {
            // A client that went away leaves result null: counted with status 499 like nginx, not as a server error.
            GatewayTelemetry.Complete(activity, context, result, Stopwatch.GetElapsedTime(started));
        }
    }

    public void Dispose()
    {
        _subscriptions.Dispose();
        if (_ownsClient && _client is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }
}
