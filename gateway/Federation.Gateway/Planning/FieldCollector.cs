using System.Runtime.InteropServices;
using System.Text.Json;
using Federation.Gateway.Schema;
using GraphQLParser.AST;

namespace Federation.Gateway.Planning;

/// <summary>One response key of a selection set after fragments are flattened for a concrete type (spec CollectFields).</summary>
public sealed class MergedField(string responseKey, GraphQLField first)
{
    public string ResponseKey { get; } = responseKey;

    /// <summary><see cref="ResponseKey"/> as a JSON writer prints a property name (a GraphQL name needs no escaping).</summary>
    public JsonEncodedText EncodedKey { get; } = JsonEncodedText.Encode(responseKey);

    /// <summary>
    /// What shaping last resolved for this field: its definition on a type, its named type, and the fields selected on a
    /// concrete type. Shaping a list asks the same of every item; each is replaced whole, so a reader on another thread
    /// (requests of one document share their fields) sees one or the other.
    /// </summary>
    internal Execution.ShapeCache.NamedType? ShapedNamedType { get; set; }

    /// <inheritdoc cref="ShapedNamedType"/>
    internal Execution.ShapeCache.Field? ShapedField { get; set; }

    /// <inheritdoc cref="ShapedNamedType"/>
    internal Execution.ShapeCache.Selection? ShapedSelection { get; set; }

    public string Name { get; } = first.Name.StringValue;

    public GraphQLField First { get; } = first;

    public GraphQLArguments? Arguments => First.Arguments;

    public List<GraphQLSelectionSet> Selections { get; } = [];

    /// <summary>Every field node merged under this response key, for re-collecting a subset of the selection.</summary>
    public List<GraphQLField> Nodes { get; } = [];

    public MergedField WithResponseKey(string responseKey)
    {
        var copy = new MergedField(responseKey, First);
        copy.Selections.AddRange(Selections);
        copy.Nodes.AddRange(Nodes);
        return copy;
    }
}

/// <summary>Flattens fragments and evaluates <c>@skip</c>/<c>@include</c> against one operation's variables.</summary>
public sealed class FieldCollector(Supergraph supergraph, GraphQLDocument document, Func<string, object?> variable)
{
    private readonly Dictionary<string, GraphQLFragmentDefinition> _fragments = document.Definitions
        .OfType<GraphQLFragmentDefinition>()
        .GroupBy(f => f.FragmentName.Name.StringValue)
        .ToDictionary(g => g.Key, g => g.First());

    private readonly Dictionary<(string, SelectionKey), List<MergedField>> _cache = [];

    /// <summary>Collects once per type and selection: shaping a list asks the same question for every item.</summary>
    public List<MergedField> Collect(string objectType, List<GraphQLSelectionSet> selectionSets) => [.. Shared(objectType, selectionSets)];

    /// <summary>The cached collection itself, for callers that only read it (shaping every item of a long list).</summary>
    internal IReadOnlyList<MergedField> Shared(string objectType, List<GraphQLSelectionSet> selectionSets)
    {
        // Looked up by the caller's list as it is; only a stored key holds its own copy (shaping asks once per list item).
        lock (_cache)
        {
            if (_cache.TryGetValue((objectType, new SelectionKey(selectionSets)), out var cached))
            {
                return cached;
            }
        }

        var fields = Collect(objectType, (IEnumerable<GraphQLSelectionSet>)selectionSets);
        lock (_cache)
        {
            _cache[(objectType, new SelectionKey([.. selectionSets]))] = fields;
        }

        return fields;
    }

    public List<MergedField> Collect(string objectType, IEnumerable<GraphQLSelectionSet> selectionSets)
    {
        var fields = new List<MergedField>();
        var byKey = new Dictionary<string, MergedField>(StringComparer.Ordinal);
        var visited = new HashSet<string>(StringComparer.Ordinal);
        foreach (var set in selectionSets)
        {
            Collect(objectType, set, fields, byKey, visited);
        }

        return fields;
    }

    private void Collect(
        string objectType,
        GraphQLSelectionSet set,
        List<MergedField> fields,
        Dictionary<string, MergedField> byKey,
        HashSet<string> visited)
    {
        foreach (var selection in set.Selections)
        {
            switch (selection)
            {
                case GraphQLField field when Included(field.Directives):
                    var key = (field.Alias?.Name ?? field.Name).StringValue;
                    if (!byKey.TryGetValue(key, out var merged))
                    {
                        merged = new MergedField(key, field);
                        byKey[key] = merged;
                        fields.Add(merged);
                    }

                    merged.Nodes.Add(field);
                    if (field.SelectionSet is not null)
                    {
                        merged.Selections.Add(field.SelectionSet);
                    }

                    break;
                case GraphQLInlineFragment inline when Included(inline.Directives):
                    if (inline.TypeCondition is null || supergraph.Matches(objectType, inline.TypeCondition.Type.Name.StringValue))
                    {
                        Collect(objectType, inline.SelectionSet, fields, byKey, visited);
                    }

                    break;
                case GraphQLFragmentSpread spread when Included(spread.Directives):
                    var name = spread.FragmentName.Name.StringValue;
                    if (visited.Add(name)
                        && _fragments.TryGetValue(name, out var fragment)
                        && supergraph.Matches(objectType, fragment.TypeCondition.Type.Name.StringValue))
                    {
                        Collect(objectType, fragment.SelectionSet, fields, byKey, visited);
                    }

                    break;
            }
        }
    }

    /// <summary>Identity of a list of selection sets: the AST nodes themselves, compared by reference.</summary>
    private readonly struct SelectionKey(List<GraphQLSelectionSet> sets) : IEquatable<SelectionKey>
    {
        private readonly List<GraphQLSelectionSet> _sets = sets;

        public bool Equals(SelectionKey other) =>
            _sets.Count == other._sets.Count
            && CollectionsMarshal.AsSpan(_sets).SequenceEqual(CollectionsMarshal.AsSpan(other._sets), ReferenceEqualityComparer.Instance);

        public override bool Equals(object? obj) => obj is SelectionKey other && Equals(other);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            foreach (var set in _sets)
            {
                hash.Add(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(set));
            }

            return hash.ToHashCode();
        }
    }

    private bool Included(GraphQLDirectives? directives) => Included(directives, variable);

    /// <summary><c>@skip</c>/<c>@include</c> decided from literals and the request's variables.</summary>
    internal static bool Included(GraphQLDirectives? directives, Func<string, object?> variable)
    {
        if (directives is null)
        {
            return true;
        }

        foreach (var directive in directives.Items)
        {
            var name = directive.Name.StringValue;
            if (name is not ("skip" or "include"))
            {
                continue;
            }

            var value = directive.Arguments?.Items.Find(a => a.Name.StringValue == "if")?.Value;
            var condition = value switch
            {
                GraphQLBooleanValue b => b.BoolValue,
                GraphQLVariable v => variable(v.Name.StringValue) is true,
                _ => false,
            };
            if (name == "skip" ? condition : !condition)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Variables whose values change which fields an operation selects: they belong in the plan cache key.</summary>
    public static IEnumerable<string> ConditionVariables(GraphQLDocument document)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        void Visit(ASTNode node)
        {
            if (node is IHasDirectivesNode { Directives: { } directives })
            {
                foreach (var d in directives.Items.Where(d => d.Name.StringValue is "skip" or "include"))
                {
                    foreach (var arg in d.Arguments?.Items ?? [])
                    {
                        if (arg.Value is GraphQLVariable v)
                        {
                            names.Add(v.Name.StringValue);
                        }
                    }
                }
            }

            if (node is IHasSelectionSetNode { SelectionSet: { } set })
            {
                foreach (var s in set.Selections)
                {
                    Visit(s);
                }
            }
        }

        foreach (var definition in document.Definitions)
        {
            Visit(definition);
        }

        return names;
    }
}
