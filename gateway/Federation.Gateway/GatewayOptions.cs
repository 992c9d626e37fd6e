namespace Federation.Gateway;

public sealed class GatewayOptions
{
    /// <summary>Subgraph URL overrides by subgraph name; otherwise the <c>join__graph</c> URL of the supergraph is used.</summary>
    public Dictionary<string, string> SubgraphUrls { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Subgraphs served by several replicas (config <c>Subgraphs:&lt;name&gt;:Urls</c>): requests spread over the healthy
    /// ones, a failing replica is ejected and probed back, and a read that fails for a transport reason is sent once more
    /// to another (<see cref="Transport.ReplicaSet"/>).
    /// </summary>
    public Dictionary<string, IReadOnlyList<Uri>> SubgraphReplicas { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates the handler behind each subgraph's pooled client; tests route to in-process subgraphs with it.</summary>
    public Func<string, HttpMessageHandler>? HandlerFactory { get; set; }

    /// <summary>Time a subgraph has to answer one fetch, a read's one repeat after a transport failure included (config <c>Traffic:SubgraphTimeout</c>).</summary>
    public TimeSpan SubgraphTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Time a whole request may take (config <c>Traffic:RequestTimeout</c>); fetches still running then are cut off and
    /// reported as errors beside the data already there. Zero: no deadline of its own.
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Timeouts by subgraph name (config <c>Subgraphs:&lt;name&gt;:Timeout</c>); others get <see cref="SubgraphTimeout"/>.</summary>
    public Dictionary<string, TimeSpan> SubgraphTimeouts { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether subgraph requests use HTTP/2 (config <c>Traffic:Http2</c>); see <see cref="Transport.SubgraphHttp2"/>.</summary>
    public Transport.SubgraphHttp2 Http2 { get; set; } = Transport.SubgraphHttp2.Enable;

    /// <summary><see cref="Http2"/> by subgraph name (config <c>Subgraphs:&lt;name&gt;:Http2</c>).</summary>
    public Dictionary<string, Transport.SubgraphHttp2> SubgraphHttp2 { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Transport.CircuitBreakerOptions CircuitBreaker { get; } = new();

    /// <summary>Client headers passed on to every subgraph. Never the client's <c>Authorization</c>: see <see cref="InternalTokens"/>.</summary>
    public List<string> ForwardHeaders { get; } = [];

    /// <summary>
    /// Signs the internal token every subgraph request carries as <c>Authorization</c> (audience the subgraph, the
    /// request's <see cref="GatewayRequest.Caller"/>); null sends none, which Federation's subgraphs refuse.
    /// </summary>
    public Federation.Security.InternalTokenIssuer? InternalTokens { get; set; }

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Deepest field nesting an operation may have (introspection excluded); 0 disables the check.</summary>
    public int MaxDepth { get; set; } = 15;

    /// <summary>Most aliased fields an operation may use; 0 disables the check.</summary>
    public int MaxAliases { get; set; } = 30;

    /// <summary>
    /// Most fields an operation may select once every fragment spread is expanded, introspection included (config
    /// <c>Limits:MaxFields</c>); 0 disables the check. graphql-js's full introspection query selects about 300.
    /// </summary>
    public int MaxFields { get; set; } = 5_000;

    /// <summary>
    /// Most <c>fields</c>/<c>inputFields</c>/<c>interfaces</c>/<c>possibleTypes</c> nested in one another in an
    /// introspection query, as graphql-js's MaxIntrospectionDepthRule counts them (config <c>Limits:MaxIntrospectionDepth</c>);
    /// <c>ofType</c> chains are held to 16 as well. 0 disables both.
    /// </summary>
    public int MaxIntrospectionDepth { get; set; } = 2;

    /// <summary>Largest response body the gateway sends (config <c>Limits:MaxResponseBytes</c>); 0 disables the check.</summary>
    public int MaxResponseBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Automatic persisted queries kept in memory; the store is emptied when full.</summary>
    public int PersistedQueryCapacity { get; set; } = 10_000;

    /// <summary>Shared store of automatic persisted queries behind the memory copy (the host's Redis); null: memory only.</summary>
    public Caching.IPersistedDocumentStore? PersistedDocumentStore { get; set; }

    /// <summary>The clients' build manifests (config <c>PersistedDocuments:Manifests</c>); null: none.</summary>
    public Caching.TrustedDocuments? TrustedDocuments { get; set; }

    /// <summary>Open (default) runs any document; AllowList only trusted ones (config <c>PersistedDocuments:Mode</c>).</summary>
    public Caching.PersistedDocumentMode PersistedDocumentMode { get; set; }

    /// <summary>Query plans kept per schema, and as many validated query documents; each store is emptied when full.</summary>
    public int PlanCacheSize { get; set; } = 1024;

    /// <summary>
    /// Identical read-only subgraph requests in flight at the same moment (same subgraph, forwarded headers and body)
    /// share one round trip (config <c>Traffic:DeduplicateSubgraphRequests</c>, or <c>Traffic:DeduplicateRequests</c> for
    /// both kinds). Off by default, as in Apollo Router.
    /// </summary>
    public bool DeduplicateSubgraphRequests { get; set; }

    /// <summary>
    /// Identical client queries in flight at the same moment (same text, variables, extensions and forwarded headers)
    /// share one execution and one answer (config <c>Traffic:DeduplicateClientRequests</c>, or
    /// <c>Traffic:DeduplicateRequests</c> for both kinds). Off by default. Applied by the HTTP host.
    /// </summary>
    public bool DeduplicateClientRequests { get; set; }

    /// <summary>
    /// Entity fetches to one subgraph that become ready together share one request, an aliased <c>_entities</c> field
    /// each (config <c>Traffic:BatchEntityFetches</c>; on by default).
    /// </summary>
    public bool BatchEntityFetches { get; set; } = true;

    /// <summary>
    /// A request selecting anything the caller may not see (<c>@authenticated</c>, <c>@requiresScopes</c>) is refused
    /// whole with 403 (config <c>Authorization:RejectUnauthorized</c>); by default only those fields are answered null.
    /// </summary>
    public bool RejectUnauthorized { get; set; }

    /// <summary>Static cost estimation and its maximum (config section <c>DemandControl</c>).</summary>
    public DemandControl.DemandControlOptions DemandControl { get; } = new();

    /// <summary>Entity fetches answered from a shared cache (config section <c>EntityCache</c>); off by default.</summary>
    public Caching.Entities.EntityCacheOptions EntityCache { get; } = new();

    /// <summary>Keep-alive connections per subgraph (config <c>Traffic:MaxConnectionsPerSubgraph</c>).</summary>
    public int MaxConnectionsPerSubgraph { get; set; } = 256;

    /// <summary>How subscription events are buffered per subscriber (config section <c>Subscriptions</c>).</summary>
    public Subscriptions.SubscriptionOptions Subscriptions { get; } = new();

    /// <summary>The events of <c>@kafkaSubscribe</c> fields; null: such subscriptions are refused (no Kafka configured).</summary>
    public Subscriptions.IEventStreams? EventStreams { get; set; }
}

/// <param name="ReadOnly">GET requests may not run mutations (GraphQL over HTTP).</param>
/// <param name="Extensions">The request's <c>extensions</c> (persisted query hash).</param>
/// <param name="Headers">Client headers to forward to subgraphs, already filtered by <see cref="GatewayOptions.ForwardHeaders"/>.</param>
/// <param name="Caller">The identity the host verified from the request's bearer token; null for an anonymous caller.</param>
/// <param name="ForwardedFor">
/// The X-Forwarded-For chain the gateway sends with mutation fetches, ending with the client address the host resolved
/// (<see cref="Transport.SubgraphHeaders"/>).
/// </param>
/// <param name="IncludeCost">Add demand control's estimated and actual cost to <c>extensions.cost</c> (<c>GraphQL-Cost: true</c>).</param>
/// <param name="Streams">
/// The transport carries a stream of answers (graphql-transport-ws, text/event-stream), so a subscription may run.
/// </param>
/// <param name="ArbitraryDocument">
/// The host let this request run documents outside the trusted ones in allow-list mode (it presented the configured
/// arbitrary-documents key, as Hive Gateway's <c>allowArbitraryDocuments</c> lets a request through).
/// </param>
public sealed record GatewayRequest(
    string? Query,
    string? OperationName,
    System.Text.Json.Nodes.JsonObject? Variables,
    bool IncludePlan = false,
    bool ReadOnly = false,
    IReadOnlyDictionary<string, string>? Headers = null,
    System.Text.Json.Nodes.JsonObject? Extensions = null,
    Authorization.CallerIdentity? Caller = null,
    string? ForwardedFor = null,
    bool IncludeCost = false,
    bool ArbitraryDocument = false,
    bool Streams = false);

public sealed record GatewayResult
{
    // Every read of the body goes through this lock: a result shared by several subscribers may be written by one while
    // another turns its shaped data into a tree.
    private readonly Lock _sync = new();
    private System.Text.Json.Nodes.JsonObject _body;
    private Execution.ResponseShaper.ShapedData? _data;

    public GatewayResult(int StatusCode, System.Text.Json.Nodes.JsonObject Body)
    {
        this.StatusCode = StatusCode;
        _body = Body;
    }

    /// <summary>An executed answer whose <c>data</c> is written from the merged subgraph data when it is sent.</summary>
    /// <param name="envelope">The answer's <c>errors</c> and <c>extensions</c>, if any; <c>data</c> goes between them.</param>
    public GatewayResult(int StatusCode, System.Text.Json.Nodes.JsonObject envelope, Execution.ResponseShaper.ShapedData data)
    {
        this.StatusCode = StatusCode;
        _body = envelope;
        _data = data;
    }

    public int StatusCode { get; init; }

    /// <summary>
    /// The whole answer as a tree. An executed answer has none until this is first read: <see cref="WriteTo"/> sends it
    /// without one.
    /// </summary>
    public System.Text.Json.Nodes.JsonObject Body
    {
        get
        {
            lock (_sync)
            {
                if (_data is not null)
                {
                    var body = new System.Text.Json.Nodes.JsonObject();
                    Move(_body, body, "errors");
                    body["data"] = _data.ToJsonObject();
                    Move(_body, body, "extensions");
                    _body = body;
                    _data = null;
                }

                return _body;
            }
        }

        init
        {
            _body = value;
            _data = null;
        }
    }

    /// <summary>The answer's <c>errors</c>, read without building the tree of its data.</summary>
    public System.Text.Json.Nodes.JsonArray? Errors
    {
        get
        {
            lock (_sync)
            {
                return _body["errors"] as System.Text.Json.Nodes.JsonArray;
            }
        }
    }

    /// <summary>Serializes the answer: <c>data</c> straight from the merged subgraph data unless the tree was built.</summary>
    public void WriteTo(System.Text.Json.Utf8JsonWriter writer)
    {
        lock (_sync)
        {
            if (_data is null)
            {
                _body.WriteTo(writer);
                return;
            }

            writer.WriteStartObject();
            if (_body["errors"] is { } errors)
            {
                writer.WritePropertyName("errors");
                errors.WriteTo(writer);
            }

            writer.WritePropertyName("data");
            _data.WriteTo(writer);
            if (_body["extensions"] is { } extensions)
            {
                writer.WritePropertyName("extensions");
                extensions.WriteTo(writer);
            }

            writer.WriteEndObject();
        }
    }

    /// <summary>
    /// A GraphQL request the engine refused before executing it: it did not parse, validate, name an operation it has, or
    /// stay within the limits and the cost. GraphQL over HTTP answers it 400 for application/graphql-response+json and 200
    /// for application/json. The engine's other refusals (no query, a bad persisted-query extension) are not GraphQL
    /// requests at all and keep their status for both media types.
    /// </summary>
    public bool NotExecuted { get; init; }

    /// <summary>
    /// Set for a subscription the engine accepted (only when <see cref="GatewayRequest.Streams"/>): its events, each
    /// an answer of its own. The body is empty then.
    /// </summary>
    public Subscriptions.SubscriptionStream? Stream { get; init; }

    private static void Move(System.Text.Json.Nodes.JsonObject from, System.Text.Json.Nodes.JsonObject to, string key)
    {
        if (from.TryGetPropertyValue(key, out var value))
        {
            from.Remove(key);
            to[key] = value;
        }
    }
}
