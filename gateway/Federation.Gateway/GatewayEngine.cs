using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Federation.Gateway.Caching;
using Federation.Gateway.Execution;
using Federation.Gateway.Planning;
using Federation.Gateway.Schema;
using Federation.Gateway.Transport;
using Federation.Gateway.Validation;
using GraphQL;
using GraphQL.SystemTextJson;
using GraphQL.Validation;
using GraphQLParser;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;

namespace Federation.Gateway;

/// <summary>The federation engine: parse, validate, plan (cached), execute and shape one GraphQL request.</summary>
public sealed partial class GatewayEngine : IDisposable
{
    private static readonly GraphQLSerializer Serializer = new();
    private readonly GatewayOptions _options;
    private readonly ISubgraphClient _client;
    private readonly bool _ownsClient;
    private readonly PersistedQueries _persisted;
    private volatile GatewaySchema _schema;

    public GatewayEngine(string supergraphSdl, GatewayOptions? options = null, ISubgraphClient? client = null)
    {
        _options = options ?? new GatewayOptions();
        _ownsClient = client is null;
        _client = client ?? new HttpSubgraphClient(
            _options.HandlerFactory,
            _options.SubgraphTimeout,
            name => _options.SubgraphTimeouts.TryGetValue(name, out var timeout) ? timeout : null,
            _options.CircuitBreaker,
            _options.TimeProvider,
            _options.DeduplicateSubgraphRequests,
            _options.MaxConnectionsPerSubgraph);
        _schema = new GatewaySchema(Supergraph.Parse(supergraphSdl), _options.PlanCacheSize);
        _persisted = new PersistedQueries(_options.PersistedQueryCapacity);
    }

    public Supergraph Supergraph => _schema.Supergraph;

    public GatewayOptions Options => _options;

    /// <summary>Swaps in a new supergraph; requests already running finish on the schema they started with.</summary>
    public void Reload(string supergraphSdl) => _schema = new GatewaySchema(Supergraph.Parse(supergraphSdl), _options.PlanCacheSize);

    public QueryPlan Plan(string query, string? operationName = null, JsonObject? variables = null)
    {
        var schema = _schema;
        var document = Parser.Parse(query);
        var operation = SelectOperation(document, operationName) ?? throw new PlanningException("No operation to plan.");
        var values = variables ?? [];
        return schema.Planner.Plan(document, operation, name => values[name] is JsonValue v && v.TryGetValue<bool>(out var b) ? b : null);
    }

    public async Task<GatewayResult> ExecuteAsync(GatewayRequest request, CancellationToken cancellationToken = default)
    {
        try
        {
            return await ExecuteCoreAsync(_schema, request, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A gateway bug must still answer in GraphQL shape so clients can show it.
            return Fail(200, "Internal gateway error: " + e.Message, "INTERNAL_SERVER_ERROR", data: true);
        }
    }

    private async Task<GatewayResult> ExecuteCoreAsync(GatewaySchema schema, GatewayRequest request, CancellationToken cancellationToken)
    {
        var (query, persistedError) = _persisted.Resolve(request.Query, request.Extensions);
        if (persistedError is var (message, code))
        {
            // Apollo clients read PERSISTED_QUERY_NOT_FOUND from a 200 response and retry with the full query.
            return Fail(code == "PERSISTED_QUERY_NOT_FOUND" ? 200 : 400, message, code);
        }

        request = request with { Query = query };
        if (string.IsNullOrWhiteSpace(request.Query))
        {
            return Fail(400, "GraphQL operations must contain a non-empty `query`.", "BAD_REQUEST");
        }

        // A text that parsed and validated against this schema before is neither parsed nor checked by the
        // document rules again; its variable values still are, below.
        var known = schema.ValidDocument(request.Query);
        GraphQLDocument document;
        try
        {
            document = known ?? Parser.Parse(request.Query, new ParserOptions { Ignore = IgnoreOptions.Comments });
        }
        catch (GraphQLParserException e)
        {
            return Fail(400, "Syntax Error: " + e.Description, "GRAPHQL_PARSE_FAILED", new JsonArray(Location(e.Location.Line, e.Location.Column)));
        }

        var operation = SelectOperation(document, request.OperationName);
        if (operation is null)
        {
            return request.OperationName is null
                ? Fail(400, "Must provide operation name if query contains multiple operations.", "GRAPHQL_VALIDATION_FAILED")
                : Fail(400, $"Unknown operation named \"{request.OperationName}\".", "OPERATION_RESOLUTION_FAILURE");
        }

        if (request.ReadOnly && operation.Operation == OperationType.Mutation)
        {
            return Fail(405, "Mutations cannot be sent with GET; use POST.", "BAD_REQUEST");
        }

        var inputs = request.Variables is null ? Inputs.Empty : Serializer.Deserialize<Inputs>(request.Variables.ToJsonString()) ?? Inputs.Empty;
        var validation = await new DocumentValidator().ValidateAsync(new ValidationOptions
        {
            Schema = schema.Supergraph.Api.Schema,
            Document = document,
            Operation = operation,
            Variables = inputs,
            Rules = known is null ? DocumentValidator.CoreRules : [],
            CancellationToken = cancellationToken,
        });
        if (!validation.IsValid)
        {
            var errors = new JsonArray([.. validation.Errors.Select(e => (JsonNode)ToJson(e, e is InvalidVariableError ? "BAD_USER_INPUT" : "GRAPHQL_VALIDATION_FAILED"))]);
            return new GatewayResult(400, new JsonObject { ["errors"] = errors });
        }

        if (known is null)
        {
            schema.RememberValid(request.Query, document);
        }

        if (OperationLimits.Check(document, operation, _options.MaxDepth, _options.MaxAliases) is var (limitMessage, limitCode))
        {
            return Fail(400, limitMessage, limitCode);
        }

        if (operation.Operation == OperationType.Subscription)
        {
            return Fail(400, "Subscriptions are not supported over this transport.", "BAD_REQUEST");
        }

        var variables = validation.Variables;
        object? Variable(string name) => variables?.Find(name)?.Value;
        QueryPlan plan;
        try
        {
            plan = schema.GetPlan(request.Query, document, operation, Variable);
        }
        catch (PlanningException e)
        {
            return Fail(200, e.Message, "QUERY_PLANNING_FAILED", data: true);
        }

        var state = new ResultState();
        var executor = new PlanExecutor(schema.Supergraph, _client, graph => SubgraphUrl(schema.Supergraph, graph), request.Headers, _options.BatchEntityFetches);
        var introspection = HasIntrospection(schema.Supergraph, document, operation, Variable)
            ? ExecuteIntrospectionAsync(schema, request, inputs, cancellationToken)
            : Task.FromResult<JsonObject?>(null);
        await Task.WhenAll(executor.ExecuteAsync(plan, request.Variables, state, cancellationToken), introspection);

        var rootType = operation.Operation == OperationType.Mutation ? schema.Supergraph.MutationType! : schema.Supergraph.QueryType;
        var shaper = new ResponseShaper(schema.Supergraph, new FieldCollector(schema.Supergraph, document, Variable), await introspection);
        var data = shaper.Shape(rootType, operation, state.Data);

        var body = new JsonObject();
        if (state.Errors.Count > 0)
        {
            body["errors"] = new JsonArray([.. state.Errors]);
        }

        body["data"] = data;
        var extensions = new JsonObject();
        if (state.Errors.Count == 0 && shaper.CompletionErrors.Count > 0)
        {
            // Apollo Gateway reports value-completion failures here, not in errors, and only when no fetch failed.
            extensions["valueCompletion"] = new JsonArray([.. shaper.CompletionErrors]);
        }

        if (request.IncludePlan)
        {
            extensions["queryPlan"] = plan.ToJson();
        }

        if (extensions.Count > 0)
        {
            body["extensions"] = extensions;
        }

        return new GatewayResult(200, body);
    }

    public void Dispose()
    {
        if (_ownsClient && _client is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }

    private Uri SubgraphUrl(Supergraph supergraph, string graph)
    {
        var info = supergraph.Subgraphs[graph];
        var url = _options.SubgraphUrls.GetValueOrDefault(info.Name) ?? info.Url;
        return new Uri(url, UriKind.Absolute);
    }

    private static GraphQLOperationDefinition? SelectOperation(GraphQLDocument document, string? operationName)
    {
        var operations = document.Definitions.OfType<GraphQLOperationDefinition>().ToList();
        if (string.IsNullOrEmpty(operationName))
        {
            return operations.Count == 1 ? operations[0] : null;
        }

        return operations.Find(o => o.Name?.StringValue == operationName);
    }

    private static bool HasIntrospection(Supergraph supergraph, GraphQLDocument document, GraphQLOperationDefinition operation, Func<string, object?> variable)
    {
        var root = operation.Operation == OperationType.Mutation ? supergraph.MutationType! : supergraph.QueryType;
        return new FieldCollector(supergraph, document, variable)
            .Collect(root, [operation.SelectionSet])
            .Exists(f => f.Name is "__schema" or "__type");
    }

    private static async Task<JsonObject?> ExecuteIntrospectionAsync(GatewaySchema schema, GatewayRequest request, Inputs inputs, CancellationToken cancellationToken)
    {
        var result = await new DocumentExecuter().ExecuteAsync(o =>
        {
            o.Schema = schema.Supergraph.Api.Schema;
            o.Query = request.Query;
            o.OperationName = request.OperationName;
            o.Variables = inputs;
            o.ValidationRules = [];
            o.CancellationToken = cancellationToken;
            o.ThrowOnUnhandledException = false;
        });
        return JsonNode.Parse(Serializer.Serialize(result))?["data"] as JsonObject;
    }

    private static GatewayResult Fail(int status, string message, string code, JsonArray? locations = null, bool data = false)
    {
        var error = new JsonObject { ["message"] = message };
        if (locations is not null)
        {
            error["locations"] = locations;
        }

        error["extensions"] = new JsonObject { ["code"] = code };
        var body = new JsonObject { ["errors"] = new JsonArray(error) };
        if (data)
        {
            body["data"] = null;
        }

        return new GatewayResult(status, body);
    }

    private static JsonObject Location(int line, int column) => new() { ["line"] = line, ["column"] = column };

    private static JsonObject ToJson(ExecutionError error, string code)
    {
        var json = new JsonObject { ["message"] = error.Message };
        if (error.Locations is { Count: > 0 } locations)
        {
            json["locations"] = new JsonArray([.. locations.Select(l => (JsonNode)Location(l.Line, l.Column))]);
        }

        json["extensions"] = new JsonObject { ["code"] = code };
        return json;
    }

    /// <param name="capacity">Plans and validated documents kept for this schema (<see cref="GatewayOptions.PlanCacheSize"/>).</param>
    private sealed class GatewaySchema(Supergraph supergraph, int capacity)
    {
        private readonly BoundedCache<QueryPlan> _plans = new(capacity, StringComparer.Ordinal);
        private readonly BoundedCache<GraphQLDocument> _validDocuments = new(capacity, StringComparer.Ordinal);

        /// <summary>The parsed document of a query text that passed every document rule against this schema.</summary>
        public GraphQLDocument? ValidDocument(string query) => _validDocuments.TryGetValue(query, out var document) ? document : null;

        public void RememberValid(string query, GraphQLDocument document) => _validDocuments.Set(query, document);

        public Supergraph Supergraph { get; } = supergraph;

        public QueryPlanner Planner { get; } = new(supergraph);

        public QueryPlan GetPlan(string query, GraphQLDocument document, GraphQLOperationDefinition operation, Func<string, object?> variable)
        {
            // @skip/@include are decided at plan time, so their variable values are part of the key.
            var key = new StringBuilder(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(query))))
                .Append('\n').Append(operation.Name?.StringValue);
            foreach (var name in FieldCollector.ConditionVariables(document))
            {
                key.Append('\n').Append(name).Append('=').Append(variable(name) is true);
            }

            var cacheKey = key.ToString();
            if (_plans.TryGetValue(cacheKey, out var plan))
            {
                return plan;
            }

            plan = Planner.Plan(document, operation, variable);
            _plans.Set(cacheKey, plan);
            return plan;
        }
    }
}
