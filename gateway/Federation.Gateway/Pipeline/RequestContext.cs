using System.Diagnostics;
using System.Text.Json.Nodes;
using Federation.Gateway.Authorization;
using Federation.Gateway.Execution;
using Federation.Gateway.Planning;
using GraphQL;
using GraphQL.Validation;
using GraphQLParser.AST;

namespace Federation.Gateway.Pipeline;

/// <summary>
/// Everything one request accumulates on its way through the <see cref="RequestPipeline"/>. Each stage reads what
/// earlier stages set and fills in its own part; a stage that answers early sets <see cref="Response"/>.
/// </summary>
public sealed class RequestContext(GatewaySchema schema, GatewayRequest request, CancellationToken cancellationToken)
{
    private string? _requestId;
    private Func<string, object?>? _variable;
    private FieldCollector? _fields;
    private JsonObject? _data;

    /// <summary>The supergraph the request started on; a reload mid-request does not change it.</summary>
    public GatewaySchema Schema { get; } = schema;

    public GatewayRequest Request { get; } = request;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>The request's overall deadline behind <see cref="CancellationToken"/>, when the engine set one.</summary>
    public RequestDeadline? Deadline { get; init; }

    /// <summary>Names the request in logs and in an internal error's answer: the trace id when the request is traced.</summary>
    public string RequestId => _requestId ??= (Activity.Current?.TraceId ?? ActivityTraceId.CreateRandom()).ToHexString();

    /// <summary>The selected operation's name, else the one the client asked for (logs and traces).</summary>
    public string? OperationName => Operation?.Name?.StringValue ?? Request.OperationName;

    /// <summary>The text to run: the request's query, or the persisted query its hash names.</summary>
    public string? Query { get; set; }

    public GraphQLDocument? Document { get; set; }

    /// <summary>Set when <see cref="Query"/> validated against this schema before (or once this request has validated it).</summary>
    public KnownDocument? KnownDocument { get; set; }

    public GraphQLOperationDefinition? Operation { get; set; }

    /// <summary>The request's variables as the validator reads them.</summary>
    public Inputs Inputs { get; set; } = Inputs.Empty;

    /// <summary>Variable values coerced by validation.</summary>
    public Variables? Variables { get; set; }

    /// <summary>Set when authorization refused part of the operation: what is planned instead, and for whom.</summary>
    public AuthorizedOperation? Authorization { get; set; }

    public QueryPlan? Plan { get; set; }

    /// <summary>Set by demand control when it is enabled.</summary>
    public OperationCost? Cost { get; set; }

    /// <summary>The subgraphs' answers merged into one tree, and the errors collected while fetching.</summary>
    public ResultState Results { get; } = new();

    /// <summary>The gateway's own answer to <c>__schema</c>/<c>__type</c> root fields, when the operation asks for them.</summary>
    public JsonObject? Introspection { get; set; }

    /// <summary>
    /// The client's <c>data</c> as shaping left it: written from <see cref="Results"/> straight into the response, with no
    /// tree of its own. Null until shaped, or once <see cref="Data"/> is set.
    /// </summary>
    public ResponseShaper.ShapedData? ShapedData { get; set; }

    /// <summary>
    /// The client's <c>data</c>: <see cref="Results"/> shaped to the operation, as a tree. Built from
    /// <see cref="ShapedData"/> on first read (demand control's actual cost reads it); the response does not need it.
    /// </summary>
    public JsonObject? Data
    {
        get
        {
            if (ShapedData is { } shaped)
            {
                _data = shaped.ToJsonObject();
                ShapedData = null;
            }

            return _data;
        }

        set
        {
            _data = value;
            ShapedData = null;
        }
    }

    /// <summary>Values shaping could not complete (null in a non-null position, a hidden enum value).</summary>
    public IReadOnlyList<JsonObject> CompletionErrors { get; set; } = [];

    /// <summary>One <c>UNAUTHORIZED_FIELD_OR_TYPE</c> error per response path authorization left out.</summary>
    public IReadOnlyList<JsonObject> AuthorizationErrors { get; set; } = [];

    /// <summary>The answer. Once a stage sets it, no later stage runs.</summary>
    public GatewayResult? Response { get; set; }

    /// <summary>Looks a variable up by name among the coerced values (null before validation).</summary>
    public Func<string, object?> Variable => _variable ??= name => Variables?.Find(name)?.Value;

    /// <summary>
    /// Fragments flattened and <c>@skip</c>/<c>@include</c> decided once per request: every stage that needs the
    /// operation's fields (introspection detection, shaping) reads this one collector's cache. A validated document
    /// whose conditions read no variable has one collector for all its requests (<see cref="KnownDocument.SharedFields"/>).
    /// </summary>
    public FieldCollector Fields => _fields ??=
        (KnownDocument is { } known && ReferenceEquals(known.Document, Document) ? known.SharedFields(Schema.Supergraph) : null)
        ?? new FieldCollector(Schema.Supergraph, Document!, Variable);

    public string RootType => Operation!.Operation switch
    {
        OperationType.Mutation => Schema.Supergraph.MutationType!,
        OperationType.Subscription => Schema.Supergraph.SubscriptionType!,
        _ => Schema.Supergraph.QueryType,
    };

    /// <summary>
    /// One subscription event: the subgraph's answer to the plan's root fetch. Execution merges it as that fetch's
    /// answer and runs only the fetches that depend on it.
    /// </summary>
    public JsonObject? RootAnswer { get; private init; }

    /// <summary>A context for one event of this subscription, sharing everything decided before execution.</summary>
    public RequestContext ForEvent(JsonObject answer, RequestDeadline deadline) => new(Schema, Request, deadline.Token)
    {
        Deadline = deadline,
        Query = Query,
        Document = Document,
        KnownDocument = KnownDocument,
        Operation = Operation,
        Inputs = Inputs,
        Variables = Variables,
        Authorization = Authorization,
        Plan = Plan,
        Cost = Cost,
        RootAnswer = answer,
        _requestId = RequestId,
    };

    /// <summary>Refuses the GraphQL request before execution with one error (see <see cref="GatewayResult.NotExecuted"/>).</summary>
    public ValueTask RefuseOperation(string message, string code, JsonArray? locations = null, JsonObject? extensions = null)
    {
        Response = GraphQLErrors.Result(400, GraphQLErrors.Error(message, code, locations, extensions)) with { NotExecuted = true };
        return ValueTask.CompletedTask;
    }

    /// <summary>Answers with one GraphQL error; no later stage runs.</summary>
    public ValueTask Reject(int status, string message, string code, JsonArray? locations = null, bool data = false)
    {
        Response = GraphQLErrors.Result(status, GraphQLErrors.Error(message, code, locations), data);
        return ValueTask.CompletedTask;
    }
}
