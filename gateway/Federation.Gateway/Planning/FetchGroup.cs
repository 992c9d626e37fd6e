using System.Text;
using GraphQLParser.AST;
using GraphQLParser.Visitors;

namespace Federation.Gateway.Planning;

/// <summary>A fetch under construction: what one subgraph will be asked at one place of the response.</summary>
internal sealed class FetchGroup(int id, string graph, bool isEntity, string[] path, int sequence, FetchGroup? parent)
{
    private readonly Dictionary<string, FetchGroup> _children = new(StringComparer.Ordinal);

    public int Id { get; } = id;

    public string Graph { get; } = graph;

    public bool IsEntity { get; } = isEntity;

    public string[] Path { get; } = path;

    public int Sequence { get; } = sequence;

    public FetchGroup? Parent { get; } = parent;

    public SelectionBuilder Selection { get; } = new();

    public Dictionary<string, (string TypeName, List<GraphQLSelectionSet> FieldSets)> Representations { get; } = new(StringComparer.Ordinal);

    public HashSet<FetchGroup> DependsOn { get; } = [];

    public FetchGroup Child(string graph, string[] path, Func<FetchGroup, bool> reject, Func<string, string[], FetchGroup> create)
    {
        var key = graph + "|" + string.Join('.', path);
        // A fetch cannot wait for itself: when the key or @requires data comes from the same subgraph, ask it twice.
        while (_children.TryGetValue(key, out var existing) && reject(existing))
        {
            key += "'";
        }

        if (!_children.TryGetValue(key, out var child))
        {
            child = create(graph, path);
            child.DependsOn.Add(this);
            _children[key] = child;
        }

        return child;
    }

    /// <summary>One representation has one value per field: requirements asking a field with other arguments need their own fetch.</summary>
    public bool ConflictsWith(string type, GraphQLSelectionSet requires)
    {
        if (!Representations.TryGetValue(type, out var representation))
        {
            return false;
        }

        var printer = new SDLPrinter();
        string Arguments(GraphQLField f) => f.Arguments is null ? string.Empty : printer.Print(f.Arguments);
        var existing = representation.FieldSets.SelectMany(s => s.Selections.OfType<GraphQLField>()).ToList();
        return requires.Selections.OfType<GraphQLField>().Any(r =>
            existing.Exists(e => e.Name.StringValue == r.Name.StringValue && Arguments(e) != Arguments(r)));
    }

    public void AddRepresentation(string type, string typeName, GraphQLSelectionSet fieldSet)
    {
        if (!Representations.TryGetValue(type, out var representation))
        {
            representation = (typeName, []);
            Representations[type] = representation;
        }

        if (!representation.FieldSets.Contains(fieldSet))
        {
            representation.FieldSets.Add(fieldSet);
        }
    }

    /// <summary>The subgraph operation's name as Apollo names it (<c>Op__subgraph__id</c>); none for an anonymous operation.</summary>
    public string? OperationName(string? operationName) =>
        operationName is null ? null : operationName + "__" + Graph.ToLowerInvariant() + "__" + Id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <param name="selection">The selection printed under <c>_entities</c> (or the root selection).</param>
    /// <param name="declarations">The operation's variable declarations other than <c>$representations</c>.</param>
    public string Print(
        OperationType operation,
        string? operationName,
        GraphQLOperationDefinition definition,
        out List<string> variables,
        out string selection,
        out List<string> declarations)
    {
        var used = new SortedSet<string>(StringComparer.Ordinal);
        var body = new StringBuilder();
        Selection.Print(body, used);
        variables = [.. definition.Variables?.Items.Select(v => v.Variable.Name.StringValue).Where(used.Contains) ?? []];

        var sb = new StringBuilder(IsEntity ? "query" : OperationKeyword.Of(operation));
        if (OperationName(operationName) is { } printedName)
        {
            sb.Append(' ').Append(printedName);
        }

        declarations = [];
        foreach (var name in variables)
        {
            var def = definition.Variables!.Items.First(v => v.Variable.Name.StringValue == name);
            var declaration = "$" + name + ": " + Schema.TypeRefs.Print(def.Type);
            if (def.DefaultValue is not null)
            {
                declaration += " = " + new SDLPrinter().Print(def.DefaultValue);
            }

            declarations.Add(declaration);
        }

        List<string> all = IsEntity ? ["$representations: [_Any!]!", .. declarations] : declarations;
        if (all.Count > 0)
        {
            sb.Append('(').AppendJoin(", ", all).Append(')');
        }

        selection = body.ToString();

        sb.Append(' ');
        if (IsEntity)
        {
            sb.Append("{_entities(representations: $representations) ").Append(body).Append('}');
        }
        else
        {
            sb.Append(body);
        }

        return sb.ToString();
    }
}
