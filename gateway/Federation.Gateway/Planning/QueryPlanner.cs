using System.Collections.Concurrent;
using Federation.Gateway.Schema;
using GraphQLParser;
using GraphQLParser.AST;

namespace Federation.Gateway.Planning;

/// <summary>
/// Builds a fetch plan for one operation: root fields go to the subgraph that resolves them, and every field the
/// current subgraph cannot resolve becomes an <c>_entities</c> jump to one that can, keyed by a <c>@key</c>.
/// </summary>
public sealed partial class QueryPlanner(Supergraph supergraph)
{
    private const int MaxDepth = 64;
    private static readonly ConcurrentDictionary<string, GraphQLSelectionSet> FieldSets = new(StringComparer.Ordinal);

    public QueryPlan Plan(GraphQLDocument document, GraphQLOperationDefinition operation, Func<string, object?> variable)
    {
        var session = new Session(supergraph, new FieldCollector(supergraph, document, variable));
        var rootType = operation.Operation switch
        {
            OperationType.Mutation => supergraph.MutationType,
            OperationType.Subscription => supergraph.SubscriptionType,
            _ => supergraph.QueryType,
        } ?? throw new PlanningException($"The schema has no {OperationKeyword.Of(operation.Operation)} type.");

        session.PlanRoot(rootType, operation);
        var name = operation.Name?.StringValue;
        var fetches = session.Groups
            .Where(g => !g.Selection.IsEmpty)
            .Select(g => new FetchNode
            {
                Id = g.Id,
                Graph = g.Graph,
                ServiceName = supergraph.GraphName(g.Graph),
                IsEntityFetch = g.IsEntity,
                Path = g.Path,
                Operation = g.Print(operation.Operation, name, operation, out var variables, out var selection, out var declarations),
                OperationName = g.OperationName(name),
                Variables = variables,
                Selection = selection,
                VariableDeclarations = declarations,
                Representations = g.Representations.ToDictionary(
                    r => r.Key,
                    r => new Representation(r.Value.TypeName, r.Value.FieldSets)),
                DependsOn = [.. g.DependsOn.Select(d => d.Id).Order()],
                Sequence = g.Sequence,
            })
            .ToList();
        if (operation.Operation == OperationType.Subscription && fetches.Count(f => !f.IsEntityFetch) != 1)
        {
            // Validation allows one root field; this catches one the planner could only split across subgraphs.
            throw new PlanningException("A subscription's root field must be served by one subgraph that declares it.");
        }

        return new QueryPlan(operation.Operation, fetches);
    }

    internal static GraphQLSelectionSet ParseFieldSet(string fieldSet) =>
        FieldSets.GetOrAdd(fieldSet, static fs =>
        {
            var document = Parser.Parse("{" + fs + "}");
            return ((GraphQLOperationDefinition)document.Definitions[0]).SelectionSet;
        });

    private readonly record struct Context(
        FetchGroup Group,
        SelectionBuilder Node,
        string[] Path,
        Dictionary<string, List<GraphQLSelectionSet>>? Provided,
        int Depth,
        ParentLink? Parent = null)
    {
        /// <summary>The field whose @requires data this entity fetch carries in its representations.</summary>
        public string? RequiresSatisfied { get; init; }

        /// <summary>The object is the entity of an <c>_entities</c> fetch, so its key fields arrived in the representation.</summary>
        public bool EntityRoot { get; init; }

        /// <summary>Subgraphs that could resolve the path to this object (null: only the current one).</summary>
        public IReadOnlySet<string>? Candidates { get; init; }
    }

    /// <summary>Where the current object came from, so a field unreachable from it can be fetched through its parent instead.</summary>
    private sealed record ParentLink(Context Context, TypeDef Type, FieldDef Field, MergedField Selection);
}
