using System.Diagnostics;
using System.Text.Json.Nodes;
using Federation.Gateway.Caching;
using Federation.Gateway.Execution;
using Federation.Gateway.Pipeline;
using Federation.Gateway.Schema;
using Federation.Gateway.Transport;
using GraphQLParser;
using Microsoft.Extensions.Logging.Abstractions;

namespace Federation.Gateway.Tests.Pipeline;

/// <summary>Each pipeline stage alone, over a context set up by hand as the stages before it would leave it.</summary>
public sealed class StageTests
{
    private static readonly Supergraph Supergraph = Supergraph.Parse(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "supergraph.graphql")));

    [Fact]
    public async Task PersistedDocumentStage_Should_AnswerNotFoundWith200_When_HashIsUnknown()
    {
        // arrange
        var stage = new PersistedDocumentStage(new PersistedQueries(10), NullLogger<PersistedDocumentStage>.Instance);
        var extensions = JsonNode.Parse("""{"persistedQuery":{"version":1,"sha256Hash":"%"}}""".Replace("%", new string('a', 64)))!.AsObject();
        var context = new RequestContext(Schema(), new GatewayRequest(null, null, null, Extensions: extensions), default);

        // act
        await stage.InvokeAsync(context);

        // assert
        Assert.Equal(200, context.Response!.StatusCode);
        Assert.Equal("PERSISTED_QUERY_NOT_FOUND", context.Response.Body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task PersistedDocumentStage_Should_PassQueryOn_When_RequestHasNoHash()
    {
        // arrange
        var stage = new PersistedDocumentStage(new PersistedQueries(10), NullLogger<PersistedDocumentStage>.Instance);
        var context = new RequestContext(Schema(), new GatewayRequest("{ me { id } }", null, null), default);

        // act
        await stage.InvokeAsync(context);

        // assert
        Assert.Null(context.Response);
        Assert.Equal("{ me { id } }", context.Query);
    }

    [Fact]
    public async Task ParseStage_Should_RejectWithLocation_When_SyntaxIsInvalid()
    {
        // arrange
        var context = Context("{ me { id }");

        // act
        await new ParseStage(NullLogger<ParseStage>.Instance).InvokeAsync(context);

        // assert
        Assert.Equal(400, context.Response!.StatusCode);
        Assert.Equal("GRAPHQL_PARSE_FAILED", context.Response.Body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
        Assert.Equal("""[{"line":1,"column":12}]""", context.Response.Body["errors"]![0]!["locations"]!.ToJsonString());
    }

    [Fact]
    public async Task ParseStage_Should_Reject_When_QueryIsBlank()
    {
        // arrange
        var context = Context("  ");

        // act
        await new ParseStage(NullLogger<ParseStage>.Instance).InvokeAsync(context);

        // assert
        Assert.Equal(400, context.Response!.StatusCode);
        Assert.Equal("BAD_REQUEST", context.Response.Body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task ParseStage_Should_ReuseValidatedDocument_When_SameTextWasValidatedBefore()
    {
        // arrange
        const string query = "{ me { id } }";
        var schema = Schema();
        var known = schema.RememberValid(query, Parser.Parse(query));
        var context = new RequestContext(schema, new GatewayRequest(query, null, null), default) { Query = query };

        // act
        await new ParseStage(NullLogger<ParseStage>.Instance).InvokeAsync(context);

        // assert
        Assert.Null(context.Response);
        Assert.Same(known, context.KnownDocument);
        Assert.Same(known.Document, context.Document);
    }

    [Fact]
    public async Task OperationStage_Should_Reject405_When_MutationArrivesOverGet()
    {
        // arrange
        const string query = "mutation { restock(upc: \"1\") }";
        var context = new RequestContext(Schema(), new GatewayRequest(query, null, null, ReadOnly: true), default) { Document = Parser.Parse(query) };

        // act
        await new OperationStage(NullLogger<OperationStage>.Instance).InvokeAsync(context);

        // assert
        Assert.Equal(405, context.Response!.StatusCode);
        Assert.Null(context.Operation);
    }

    [Fact]
    public async Task OperationStage_Should_SelectNamedOperation_When_DocumentHasSeveral()
    {
        // arrange
        const string query = "query A { me { id } } query B { users { id } }";
        var context = new RequestContext(Schema(), new GatewayRequest(query, "B", null), default) { Document = Parser.Parse(query) };

        // act
        await new OperationStage(NullLogger<OperationStage>.Instance).InvokeAsync(context);

        // assert
        Assert.Null(context.Response);
        Assert.Equal("B", context.Operation!.Name!.StringValue);
    }

    [Fact]
    public async Task OperationStage_Should_RejectWithResolutionFailure_When_NamedOperationIsMissing()
    {
        // arrange
        const string query = "query A { me { id } }";
        var context = new RequestContext(Schema(), new GatewayRequest(query, "C", null), default) { Document = Parser.Parse(query) };

        // act
        await new OperationStage(NullLogger<OperationStage>.Instance).InvokeAsync(context);

        // assert
        Assert.Equal("""{"errors":[{"message":"Unknown operation named \u0022C\u0022.","extensions":{"code":"OPERATION_RESOLUTION_FAILURE"}}]}""", context.Response!.Body.ToJsonString());
    }

    [Fact]
    public async Task ValidateStage_Should_RememberDocumentAndCoerceVariables_When_OperationIsValid()
    {
        // arrange
        const string query = "query ($id: ID!) { user(id: $id) { name } }";
        var context = Operated(query, new JsonObject { ["id"] = "2" });

        // act
        await new ValidateStage(NullLogger<ValidateStage>.Instance).InvokeAsync(context);

        // assert
        Assert.Null(context.Response);
        Assert.Equal("2", context.Variable("id"));
        Assert.Same(context.KnownDocument, context.Schema.ValidDocument(query));
    }

    [Fact]
    public async Task ValidateStage_Should_Answer400WithEveryError_When_DocumentBreaksRules()
    {
        // arrange
        var context = Operated("{ me { nope } users { alsoNope } }");

        // act
        await new ValidateStage(NullLogger<ValidateStage>.Instance).InvokeAsync(context);

        // assert
        Assert.Equal(400, context.Response!.StatusCode);
        Assert.Equal(2, context.Response.Body["errors"]!.AsArray().Count);
        Assert.Null(context.Schema.ValidDocument("{ me { nope } users { alsoNope } }"));
    }

    [Fact]
    public async Task LimitsStage_Should_Reject_When_OperationIsTooDeep()
    {
        // arrange
        var context = Operated("{ me { reviews { product { name } } } }");

        // act
        await new LimitsStage(3, 0, NullLogger<LimitsStage>.Instance).InvokeAsync(context);

        // assert
        Assert.Equal(400, context.Response!.StatusCode);
        Assert.Equal("MAX_DEPTH_LIMIT", context.Response.Body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task LimitsStage_Should_PassOn_When_OperationIsWithinLimits()
    {
        // arrange
        var context = Operated("{ me { reviews { product { name } } } }");

        // act
        await new LimitsStage(4, 0, NullLogger<LimitsStage>.Instance).InvokeAsync(context);

        // assert
        Assert.Null(context.Response);
    }

    [Fact]
    public async Task PlanStage_Should_ReturnCachedPlan_When_SameOperationRunsTwice()
    {
        // arrange
        const string query = "{ me { name reviews { body } } }";
        var first = Validated(query);
        var second = Validated(query, first.Schema);
        var stage = new PlanStage(NullLogger<PlanStage>.Instance);

        // act
        await stage.InvokeAsync(first);
        await stage.InvokeAsync(second);

        // assert
        Assert.Null(second.Response);
        Assert.Equal(2, first.Plan!.Fetches.Count);
        Assert.Same(first.Plan, second.Plan);
    }

    [Fact]
    public async Task PlanStage_Should_Reject_When_OperationIsSubscription()
    {
        // arrange
        var context = Operated("subscription { me { id } }");

        // act
        await new PlanStage(NullLogger<PlanStage>.Instance).InvokeAsync(context);

        // assert
        Assert.Equal(400, context.Response!.StatusCode);
        Assert.Null(context.Plan);
    }

    [Fact]
    public async Task ExecuteStage_Should_MergeSubgraphAnswers_When_PlanRuns()
    {
        // arrange
        var client = new CannedClient(new Dictionary<string, string>
        {
            ["accounts"] = """{"data":{"me":{"__typename":"User","id":"1","name":"Ada"}}}""",
            ["reviews"] = """{"data":{"_entities":[{"reviews":[{"body":"Great"}]}]}}""",
        });
        var context = await Planned("{ me { name reviews { body } } }");

        // act
        await new ExecuteStage(client, new GatewayOptions(), NullLogger<ExecuteStage>.Instance).InvokeAsync(context);

        // assert
        Assert.Null(context.Response);
        Assert.Equal(["accounts", "reviews"], client.Calls);
        Assert.Equal("""{"me":{"__typename":"User","id":"1","name":"Ada","reviews":[{"body":"Great"}]}}""", context.Results.Data.ToJsonString());
        Assert.Null(context.Introspection);
    }

    [Fact]
    public async Task ExecuteStage_Should_SendKeysAsValidJson_When_TheyHoldCharactersJsonEscapes()
    {
        // arrange: representations are printed from the entity's bytes, so a key with a quote, a backslash, a control
        // character or non-ASCII text must still arrive as the same string.
        const string id = "a\"b\\c\u0001d\u00e9\U0001F600";
        var escaped = System.Text.Json.JsonEncodedText.Encode(id).ToString();
        var client = new CannedClient(new Dictionary<string, string>
        {
            ["accounts"] = """{"data":{"me":{"__typename":"User","id":"ID","name":"Ada"}}}""".Replace("ID", escaped, StringComparison.Ordinal),
            ["reviews"] = """{"data":{"_entities":[{"reviews":[{"body":"Great"}]}]}}""",
        });
        var context = await Planned("{ me { name reviews { body } } }");

        // act
        await new ExecuteStage(client, new GatewayOptions(), NullLogger<ExecuteStage>.Instance).InvokeAsync(context);

        // assert
        var sent = JsonNode.Parse(client.Requests["reviews"])!["variables"]!["representations"]!.AsArray();
        var representation = Assert.Single(sent)!.AsObject();
        Assert.Equal(["__typename", "id"], representation.Select(p => p.Key));
        Assert.Equal("User", representation["__typename"]!.GetValue<string>());
        Assert.Equal(id, representation["id"]!.GetValue<string>());
        var me = context.Results.Data.ToJsonNode()!["me"]!;
        Assert.Equal(id, me["id"]!.GetValue<string>());
        Assert.Equal("Great", me["reviews"]![0]!["body"]!.GetValue<string>());
    }

    [Fact]
    public async Task ExecuteStage_Should_AnswerIntrospection_When_OperationAsksForType()
    {
        // arrange
        var context = await Planned("{ __type(name: \"User\") { name } }");

        // act
        await new ExecuteStage(new CannedClient([]), new GatewayOptions(), NullLogger<ExecuteStage>.Instance).InvokeAsync(context);

        // assert
        Assert.Equal("""{"__type":{"name":"User"}}""", context.Introspection!.ToJsonString());
    }

    [Fact]
    public async Task ShapeStage_Should_KeepRequestedFieldsUnderAliases_When_DataHasMore()
    {
        // arrange
        var context = await Planned("{ who: me { name } }");
        context.Results.Data["who"] = ResultNode.From(JsonNode.Parse("""{"__typename":"User","id":"1","name":"Ada"}"""));

        // act
        await new ShapeStage(NullLogger<ShapeStage>.Instance).InvokeAsync(context);

        // assert
        Assert.Equal("""{"who":{"name":"Ada"}}""", context.Data!.ToJsonString());
        Assert.Empty(context.CompletionErrors);
    }

    [Fact]
    public async Task RespondStage_Should_PutFetchErrorsFirstAndPlanInExtensions_When_Requested()
    {
        // arrange
        const string query = "{ me { name } }";
        var context = await Planned(query, includePlan: true);
        context.Results.AddError(new JsonObject { ["message"] = "down" });
        context.Data = new JsonObject { ["me"] = null };

        // act
        await new RespondStage(NullLogger<RespondStage>.Instance).InvokeAsync(context);

        // assert
        Assert.Equal(200, context.Response!.StatusCode);
        Assert.Equal(["errors", "data", "extensions"], context.Response.Body.Select(p => p.Key));
        Assert.Equal("QueryPlan", context.Response.Body["extensions"]!["queryPlan"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task RequestPipeline_Should_StopAndOpenOneActivityPerStage_When_AStageAnswers()
    {
        // arrange
        var ran = new List<string>();
        var pipeline = new RequestPipeline(
        [
            new FakeStage("first", ran, null),
            new FakeStage("second", ran, new GatewayResult(403, [])),
            new FakeStage("third", ran, new GatewayResult(200, [])),
        ]);
        var started = new List<string>();
        using var parent = new Activity("test").Start();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == GatewayTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStarted = activity =>
            {
                if (activity.TraceId == parent.TraceId)
                {
                    started.Add(activity.OperationName);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        // act
        var result = await pipeline.RunAsync(Context("{ me { id } }"));

        // assert
        Assert.Equal(403, result.StatusCode);
        Assert.Equal(["first", "second"], ran);
        Assert.Equal(["first", "second"], started);
    }

    private static GatewaySchema Schema() => new(Supergraph, 16);

    private static RequestContext Context(string query, GatewaySchema? schema = null, JsonObject? variables = null, bool includePlan = false) =>
        new(schema ?? Schema(), new GatewayRequest(query, null, variables, includePlan), default) { Query = query };

    /// <summary>As the operation stage leaves it: parsed, operation selected.</summary>
    private static RequestContext Operated(string query, JsonObject? variables = null, GatewaySchema? schema = null, bool includePlan = false)
    {
        var context = Context(query, schema, variables, includePlan);
        context.Document = Parser.Parse(query);
        context.Operation = OperationStage.Select(context.Document, null);
        return context;
    }

    /// <summary>As the validate stage leaves it: the document known to the schema (no variables).</summary>
    private static RequestContext Validated(string query, GatewaySchema? schema = null, bool includePlan = false)
    {
        var context = Operated(query, null, schema, includePlan);
        context.KnownDocument = context.Schema.RememberValid(query, context.Document!);
        return context;
    }

    private static async Task<RequestContext> Planned(string query, bool includePlan = false)
    {
        var context = Validated(query, includePlan: includePlan);
        await new PlanStage(NullLogger<PlanStage>.Instance).InvokeAsync(context);
        return context;
    }

    private sealed class FakeStage(string name, List<string> ran, GatewayResult? answer) : IRequestStage
    {
        public string Name => name;

        public ValueTask InvokeAsync(RequestContext context)
        {
            ran.Add(name);
            context.Response = answer;
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>Answers each subgraph with one fixed body and records the order of calls and what each was sent.</summary>
    private sealed class CannedClient(Dictionary<string, string> answers) : ISubgraphClient
    {
        public List<string> Calls { get; } = [];

        /// <summary>The last request body each subgraph received, printed as the HTTP client prints it.</summary>
        public Dictionary<string, string> Requests { get; } = [];

        public Task<JsonObject> ExecuteAsync(string subgraph, Uri url, JsonObject request, CancellationToken cancellationToken)
        {
            lock (Calls)
            {
                Calls.Add(subgraph);
                Requests[subgraph] = System.Text.Json.JsonSerializer.Serialize(request);
            }

            return Task.FromResult(JsonNode.Parse(answers[subgraph])!.AsObject());
        }
    }
}
