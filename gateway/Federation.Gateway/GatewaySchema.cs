using System.Security.Cryptography;
using System.Text;
using Federation.Gateway.Caching;
using Federation.Gateway.Pipeline;
using Federation.Gateway.Planning;
using Federation.Gateway.Schema;
using GraphQLParser.AST;

namespace Federation.Gateway;

/// <summary>One loaded supergraph with the query plans and validated documents of the requests run against it.</summary>
/// <param name="capacity">Plans and validated documents kept (<see cref="GatewayOptions.PlanCacheSize"/>).</param>
public sealed class GatewaySchema(Supergraph supergraph, int capacity)
{
    private readonly BoundedCache<QueryPlan> _plans = new(capacity, StringComparer.Ordinal);
    private readonly BoundedCache<KnownDocument> _validDocuments = new(capacity, StringComparer.Ordinal);
    private readonly BoundedCache<KnownDocument> _filteredDocuments = new(capacity, StringComparer.Ordinal);
    private readonly CancellationTokenSource _retired = new();

    public Supergraph Supergraph { get; } = supergraph;

    public QueryPlanner Planner { get; } = new(supergraph);

    /// <summary>Cancelled when another supergraph replaces this one: subscriptions opened on it end with a reason.</summary>
    public CancellationToken Retired => _retired.Token;

    internal void Retire() => _retired.Cancel();

    /// <summary>The subscription fields fed by Kafka (<c>@kafkaSubscribe</c>).</summary>
    public Subscriptions.EventStreamFields EventStreams { get; } = Subscriptions.EventStreamFields.Read(supergraph);

    /// <summary>The supergraph's <c>@cost</c>/<c>@listSize</c> for demand control.</summary>
    public DemandControl.CostSchema Costs { get; } = DemandControl.CostSchema.Read(supergraph);

    /// <summary>A query text that passed every document rule against this schema before, or null.</summary>
    public KnownDocument? ValidDocument(string query)
    {
        var hit = _validDocuments.TryGetValue(query, out var known);
        GatewayTelemetry.CountCacheLookup("document", hit);
        return known;
    }

    public KnownDocument RememberValid(string query, GraphQLDocument document)
    {
        var known = new KnownDocument(
            document,
            Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(query))),
            [.. FieldCollector.ConditionVariables(document)]);
        _validDocuments.Set(query, known);
        return known;
    }

    /// <summary>
    /// A validated text rewritten by authorization (refused selections skipped), kept apart from
    /// <see cref="ValidDocument"/>: the rewrite may repeat a client's <c>@skip</c>, which validation would refuse.
    /// </summary>
    public KnownDocument FilteredDocument(string query)
    {
        if (_filteredDocuments.TryGetValue(query, out var known))
        {
            return known!;
        }

        var document = GraphQLParser.Parser.Parse(query, new GraphQLParser.ParserOptions { Ignore = GraphQLParser.IgnoreOptions.Comments });
        known = new KnownDocument(document, Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(query))), [.. FieldCollector.ConditionVariables(document)]);
        _filteredDocuments.Set(query, known);
        return known;
    }

    public QueryPlan GetPlan(KnownDocument known, GraphQLOperationDefinition operation, Func<string, object?> variable, out bool cached)
    {
        // @skip/@include are decided at plan time, so their variable values are part of the key.
        var key = new StringBuilder(known.Hash).Append('\n').Append(operation.Name?.StringValue);
        foreach (var name in known.ConditionVariables)
        {
            key.Append('\n').Append(name).Append('=').Append(variable(name) is true);
        }

        var cacheKey = key.ToString();
        cached = _plans.TryGetValue(cacheKey, out var plan);
        GatewayTelemetry.CountCacheLookup("plan", cached);
        if (cached)
        {
            return plan!;
        }

        plan = Planner.Plan(known.Document, operation, variable);
        _plans.Set(cacheKey, plan);
        return plan;
    }
}

/// <summary>
/// A parsed document that passed validation, with what every later request for the same text would otherwise
/// recompute: the SHA-256 of the text and the variables that decide <c>@skip</c>/<c>@include</c> (both plan-key parts).
/// </summary>
public sealed record KnownDocument(GraphQLDocument Document, string Hash, IReadOnlyList<string> ConditionVariables)
{
    private static readonly Func<string, object?> NoVariables = _ => null;
    private FieldCollector? _fields;

    /// <summary>
    /// The fields of the document collected once for every request of it, when no <c>@skip</c>/<c>@include</c> reads a
    /// variable (null otherwise: then what is collected depends on each request's values). Shaping keeps what it
    /// resolves for a field on the collected field, so sharing the collector also shares that across requests.
    /// </summary>
    internal FieldCollector? SharedFields(Supergraph supergraph)
    {
        if (ConditionVariables.Count > 0)
        {
            return null;
        }

        if (_fields is { } fields)
        {
            return fields;
        }

        Interlocked.CompareExchange(ref _fields, new FieldCollector(supergraph, Document, NoVariables), null);
        return _fields;
    }
}
