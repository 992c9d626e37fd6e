using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GraphQLParser.AST;

namespace Federation.Gateway.Planning;

/// <summary>One request to one subgraph. Entity fetches read representations at <see cref="Path"/> in the merged result.</summary>
public sealed class FetchNode
{
    public required int Id { get; init; }

    public required string Graph { get; init; }

    public required string ServiceName { get; init; }

    public required bool IsEntityFetch { get; init; }

    /// <summary>Response keys from the root to the entities; <c>@</c> flattens a list.</summary>
    public required IReadOnlyList<string> Path { get; init; }

    public required string Operation
    {
        get;
        init
        {
            field = value;
            HasInternalAliases = value.Contains("fedalias_", StringComparison.Ordinal);
        }
    }

    /// <summary>The name <see cref="Operation"/> is printed with (<c>Op__subgraph__id</c>), or null when the client's operation has none.</summary>
    public string? OperationName { get; init; }

    /// <summary>The operation uses planner aliases (<c>fedalias_</c>) that answers must be renamed back from.</summary>
    public bool HasInternalAliases { get; private init; }

    public required IReadOnlyList<string> Variables { get; init; }

    /// <summary>The selection set under <c>_entities</c> for entity fetches: batching several fetches into one request reuses it.</summary>
    public string Selection { get; init; } = string.Empty;

    /// <summary>Declarations of <see cref="Variables"/> as printed in <see cref="Operation"/> (<c>$representations</c> excluded).</summary>
    public IReadOnlyList<string> VariableDeclarations { get; init; } = [];

    /// <summary>Per concrete type: the <c>__typename</c> to send and the field sets a representation carries (key, then requires).</summary>
    public required IReadOnlyDictionary<string, Representation> Representations { get; init; }

    public required IReadOnlyList<int> DependsOn { get; init; }

    /// <summary>Mutation root fields run in sequence; everything within one sequence step may run in parallel.</summary>
    public required int Sequence { get; init; }
}

public sealed record Representation(string TypeName, IReadOnlyList<GraphQLSelectionSet> FieldSets)
{
    /// <summary>
    /// The fields of <see cref="FieldSets"/> in order, with the planner alias each is read under, when every one is a leaf
    /// field named once and none is <c>__typename</c> or a fragment (keys like <c>id</c> or <c>upc</c>); null otherwise.
    /// Such a representation is the entity's values of these fields, so a duplicate is recognised before it is built.
    /// </summary>
    public IReadOnlyList<(string Name, string? Alias)>? LeafFields { get; } = LeafFieldsOf(FieldSets);

    /// <summary>
    /// With <see cref="LeafFields"/>: the JSON a representation has before each field's value, <c>{"__typename":"Product","upc":</c>
    /// for the first field and <c>,"sku":</c> for each further one. Null without leaf fields (or with none at all).
    /// </summary>
    internal byte[][]? LeafJsonPrefixes => field ??= LeafJsonPrefixesOf(TypeName, LeafFields);

    private static byte[][]? LeafJsonPrefixesOf(string typeName, IReadOnlyList<(string Name, string? Alias)>? leaves)
    {
        if (leaves is not { Count: > 0 })
        {
            return null;
        }

        var prefixes = new byte[leaves.Count][];
        for (var i = 0; i < leaves.Count; i++)
        {
            var start = i == 0 ? $"{{\"__typename\":\"{Encoded(typeName)}\"," : ",";
            prefixes[i] = Encoding.UTF8.GetBytes($"{start}\"{Encoded(leaves[i].Name)}\":");
        }

        return prefixes;

        static string Encoded(string text) => JsonEncodedText.Encode(text).Value;
    }

    private static List<(string Name, string? Alias)>? LeafFieldsOf(IReadOnlyList<GraphQLSelectionSet> fieldSets)
    {
        var leaves = new List<(string Name, string? Alias)>();
        foreach (var fieldSet in fieldSets)
        {
            foreach (var selection in fieldSet.Selections)
            {
                if (selection is not GraphQLField { SelectionSet: null } field)
                {
                    return null;
                }

                var name = field.Name.StringValue;
                if (name == "__typename" || leaves.Exists(l => l.Name == name))
                {
                    return null;
                }

                leaves.Add((name, InternalAliases.ForFieldSetField(field)));
            }
        }

        return leaves;
    }
}

public sealed class QueryPlan(OperationType operation, IReadOnlyList<FetchNode> fetches)
{
    public OperationType Operation { get; } = operation;

    public IReadOnlyList<FetchNode> Fetches { get; } = fetches;

    /// <summary>
    /// A subscription's one root fetch, sent to the subgraph that declares the root field as a subscription of its own;
    /// every other fetch completes each of its events.
    /// </summary>
    public FetchNode SubscriptionRoot => field ??= Fetches.Single(f => !f.IsEntityFetch);

    /// <summary>Operations printed for batches of this plan's entity fetches, by fetch ids (the plan is cached, so are they).</summary>
    internal System.Collections.Concurrent.ConcurrentDictionary<string, Execution.BatchOperation> Batches { get; } = new(StringComparer.Ordinal);

    public JsonObject ToJson()
    {
        var fetches = new JsonArray();
        foreach (var fetch in Fetches)
        {
            var node = new JsonObject
            {
                ["id"] = fetch.Id,
                ["service"] = fetch.ServiceName,
                ["kind"] = fetch.IsEntityFetch ? "Entity" : "Root",
            };
            if (fetch.IsEntityFetch)
            {
                node["path"] = string.Join('.', fetch.Path);
            }

            if (fetch.DependsOn.Count > 0)
            {
                node["dependsOn"] = new JsonArray([.. fetch.DependsOn.Select(d => (JsonNode)d)]);
            }

            if (Operation == OperationType.Mutation)
            {
                node["sequence"] = fetch.Sequence;
            }

            node["operation"] = fetch.Operation;
            fetches.Add(node);
        }

        return new JsonObject { ["kind"] = "QueryPlan", ["fetches"] = fetches };
    }
}

public sealed class PlanningException(string message) : Exception(message);
