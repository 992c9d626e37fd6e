using System.Text;
using System.Text.Json.Nodes;
using Federation.Gateway.Schema;
using GraphQLParser.AST;

namespace Federation.Gateway.Authorization;

/// <summary>
/// Finds the selections of one operation the caller may not make: fields whose effective requirement
/// (<see cref="AccessRules"/>) the caller does not meet, and fragments on types it may not see. Each named fragment
/// is read once (its fields' verdicts depend only on its type condition), so the walk is linear in the document.
/// </summary>
public sealed class OperationFilter
{
    private const string Skip = " @skip(if: true)";

    private readonly Supergraph _supergraph;
    private readonly CallerIdentity? _caller;
    private readonly Dictionary<string, GraphQLFragmentDefinition> _fragments;
    private readonly HashSet<string> _visited = new(StringComparer.Ordinal);
    private readonly List<int> _insertions = [];
    private readonly SortedSet<string> _coordinates = new(StringComparer.Ordinal);
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);

    private OperationFilter(Supergraph supergraph, CallerIdentity? caller, GraphQLDocument document)
    {
        _supergraph = supergraph;
        _caller = caller;
        _fragments = document.Definitions.OfType<GraphQLFragmentDefinition>().ToDictionary(f => f.FragmentName.Name.StringValue, StringComparer.Ordinal);
    }

    /// <summary>Schema coordinates (<c>Type.field</c>, or <c>Type</c> for a fragment) the caller was refused, sorted.</summary>
    public IReadOnlyCollection<string> Denied => _coordinates;

    public static OperationFilter Run(Supergraph supergraph, CallerIdentity? caller, GraphQLDocument document, GraphQLOperationDefinition operation, string rootType)
    {
        var filter = new OperationFilter(supergraph, caller, document);
        filter.Walk(operation.SelectionSet, supergraph.Type(rootType));
        return filter;
    }

    /// <summary>Whether the caller may select <paramref name="field"/> on an object of type <paramref name="parent"/>.</summary>
    public static bool Allows(Supergraph supergraph, CallerIdentity? caller, TypeDef parent, FieldDef field) =>
        supergraph.Access.Field(parent, field).IsSatisfiedBy(caller);

    /// <summary>
    /// The query text with <c>@skip(if: true)</c> on every refused selection: planning then leaves them out exactly as
    /// it leaves out any skipped field (empty selection sets included), while the client's own document still shapes
    /// the answer. Directive order does not matter to <c>@skip</c>, so the text goes right after the name or arguments.
    /// </summary>
    public string Rewrite(string query)
    {
        var text = new StringBuilder(query);
        foreach (var offset in _insertions.OrderDescending())
        {
            text.Insert(offset, Skip);
        }

        return text.ToString();
    }

    /// <summary>One error per refused selection at its path of response keys, for rejecting the whole request.</summary>
    public static JsonArray Errors(Supergraph supergraph, CallerIdentity? caller, GraphQLDocument document, GraphQLOperationDefinition operation, string rootType, int limit)
    {
        var filter = new OperationFilter(supergraph, caller, document);
        var errors = new JsonArray();
        // Every path through every fragment spread: bounded by the operation limits checked before, and by limit.
        filter.Paths(operation.SelectionSet, supergraph.Type(rootType), [], errors, limit);
        return errors;
    }

    /// <summary>Apollo Router's error for a refused selection; a fragment refused at the root has no path.</summary>
    public static JsonObject Error(JsonArray path)
    {
        var error = new JsonObject { ["message"] = "Unauthorized field or type" };
        if (path.Count > 0)
        {
            error["path"] = path;
        }

        error["extensions"] = new JsonObject { ["code"] = "UNAUTHORIZED_FIELD_OR_TYPE" };
        return error;
    }

    private void Walk(GraphQLSelectionSet set, TypeDef parent)
    {
        foreach (var selection in set.Selections)
        {
            switch (selection)
            {
                case GraphQLField field:
                    if (Field(parent, field) is not { } def)
                    {
                        continue;
                    }

                    if (!Allows(_supergraph, _caller, parent, def))
                    {
                        _coordinates.Add(parent.Name + "." + def.Name);
                        _insertions.Add((field.Arguments?.Location ?? field.Name.Location).End);
                    }
                    else if (field.SelectionSet is { } child && _supergraph.Types.TryGetValue(def.NamedType, out var type))
                    {
                        Walk(child, type);
                    }

                    break;
                case GraphQLInlineFragment inline:
                    var condition = inline.TypeCondition is { } tc ? _supergraph.Type(tc.Type.Name.StringValue) : parent;
                    if (!_supergraph.Access.Type(condition).IsSatisfiedBy(_caller))
                    {
                        _coordinates.Add(condition.Name);
                        _insertions.Add(inline.TypeCondition?.Location.End ?? inline.Location.Start + 3);
                    }
                    else
                    {
                        Walk(inline.SelectionSet, condition);
                    }

                    break;
                case GraphQLFragmentSpread spread:
                    var name = spread.FragmentName.Name.StringValue;
                    if (!_fragments.TryGetValue(name, out var fragment))
                    {
                        continue;
                    }

                    var on = _supergraph.Type(fragment.TypeCondition.Type.Name.StringValue);
                    if (!_supergraph.Access.Type(on).IsSatisfiedBy(_caller))
                    {
                        _coordinates.Add(on.Name);
                        _insertions.Add(spread.FragmentName.Location.End);
                    }
                    else if (_visited.Add(name))
                    {
                        Walk(fragment.SelectionSet, on);
                    }

                    break;
            }
        }
    }

    private void Paths(GraphQLSelectionSet set, TypeDef parent, List<string> path, JsonArray errors, int limit)
    {
        foreach (var selection in set.Selections)
        {
            if (errors.Count >= limit)
            {
                return;
            }

            switch (selection)
            {
                case GraphQLField field when Field(parent, field) is { } def:
                    path.Add(field.Alias?.Name.StringValue ?? def.Name);
                    if (!Allows(_supergraph, _caller, parent, def))
                    {
                        Report(path, errors);
                    }
                    else if (field.SelectionSet is { } child && _supergraph.Types.TryGetValue(def.NamedType, out var type))
                    {
                        Paths(child, type, path, errors, limit);
                    }

                    path.RemoveAt(path.Count - 1);
                    break;
                case GraphQLInlineFragment inline:
                    var condition = inline.TypeCondition is { } tc ? _supergraph.Type(tc.Type.Name.StringValue) : parent;
                    if (!_supergraph.Access.Type(condition).IsSatisfiedBy(_caller))
                    {
                        Report(path, errors);
                    }
                    else
                    {
                        Paths(inline.SelectionSet, condition, path, errors, limit);
                    }

                    break;
                case GraphQLFragmentSpread spread when _fragments.TryGetValue(spread.FragmentName.Name.StringValue, out var fragment):
                    var on = _supergraph.Type(fragment.TypeCondition.Type.Name.StringValue);
                    if (!_supergraph.Access.Type(on).IsSatisfiedBy(_caller))
                    {
                        Report(path, errors);
                    }
                    else
                    {
                        Paths(fragment.SelectionSet, on, path, errors, limit);
                    }

                    break;
            }
        }
    }

    /// <summary>A path reached through several fragments is reported once.</summary>
    private void Report(List<string> path, JsonArray errors)
    {
        if (_reported.Add(string.Join('\u0001', path)))
        {
            errors.Add(Error(new JsonArray([.. path.Select(p => (JsonNode)JsonValue.Create(p))])));
        }
    }

    /// <summary>The field's definition; null for meta fields (<c>__typename</c>, introspection), which carry no requirement.</summary>
    private static FieldDef? Field(TypeDef parent, GraphQLField field) =>
        field.Name.StringValue.StartsWith("__", StringComparison.Ordinal) ? null : parent.Fields.GetValueOrDefault(field.Name.StringValue);
}
