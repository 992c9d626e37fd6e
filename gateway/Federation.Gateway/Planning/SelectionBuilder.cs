using System.Text;
using GraphQLParser.AST;
using GraphQLParser.Visitors;

namespace Federation.Gateway.Planning;

/// <summary>A subgraph selection set under construction; fields merge by response key, fragments by type condition.</summary>
internal sealed class SelectionBuilder
{
    private readonly List<object> _items = [];
    private readonly Dictionary<string, FieldBuilder> _fields = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SelectionBuilder> _fragments = new(StringComparer.Ordinal);

    public bool IsEmpty => _items.Count == 0;

    public FieldBuilder Field(string responseKey, string name, GraphQLArguments? arguments)
    {
        if (!_fields.TryGetValue(responseKey, out var field))
        {
            field = new FieldBuilder(responseKey == name ? null : responseKey, name, arguments);
            _fields[responseKey] = field;
            _items.Add(field);
        }

        return field;
    }

    public SelectionBuilder Fragment(string typeCondition)
    {
        if (!_fragments.TryGetValue(typeCondition, out var fragment))
        {
            fragment = new SelectionBuilder();
            _fragments[typeCondition] = fragment;
            _items.Add(new KeyValuePair<string, SelectionBuilder>(typeCondition, fragment));
        }

        return fragment;
    }

    public void Print(StringBuilder sb, ISet<string> variables)
    {
        sb.Append('{');
        var first = true;
        foreach (var item in _items)
        {
            if (item is KeyValuePair<string, SelectionBuilder> { Value.IsEmpty: true })
            {
                continue;
            }

            if (!first)
            {
                sb.Append(' ');
            }

            first = false;
            switch (item)
            {
                case FieldBuilder field:
                    field.Print(sb, variables);
                    break;
                case KeyValuePair<string, SelectionBuilder> fragment:
                    sb.Append("... on ").Append(fragment.Key).Append(' ');
                    fragment.Value.Print(sb, variables);
                    break;
            }
        }

        if (first)
        {
            // Everything here was skipped, excluded by @skip/@include, or fragments on types that cannot apply; a
            // selection set may not be empty (spec 2.4), so ask for __typename as Apollo does. The shaper walks the
            // client's selection, which answers {} for this object.
            sb.Append("__typename");
        }

        sb.Append('}');
    }
}

internal sealed class FieldBuilder(string? alias, string name, GraphQLArguments? arguments)
{
    private static readonly SDLPrinter Printer = new();
    private SelectionBuilder? _selection;

    public SelectionBuilder Selection => _selection ??= new SelectionBuilder();

    public void Print(StringBuilder sb, ISet<string> variables)
    {
        if (alias is not null)
        {
            sb.Append(alias).Append(": ");
        }

        sb.Append(name);
        if (arguments is { Items.Count: > 0 })
        {
            sb.Append('(');
            for (var i = 0; i < arguments.Items.Count; i++)
            {
                var argument = arguments.Items[i];
                if (i > 0)
                {
                    sb.Append(", ");
                }

                sb.Append(argument.Name.StringValue).Append(": ").Append(Printer.Print(argument.Value));
                CollectVariables(argument.Value, variables);
            }

            sb.Append(')');
        }

        if (_selection is not null)
        {
            sb.Append(' ');
            _selection.Print(sb, variables);
        }
    }

    private static void CollectVariables(GraphQLValue value, ISet<string> variables)
    {
        switch (value)
        {
            case GraphQLVariable v:
                variables.Add(v.Name.StringValue);
                break;
            case GraphQLListValue list:
                foreach (var item in list.Values ?? [])
                {
                    CollectVariables(item, variables);
                }

                break;
            case GraphQLObjectValue obj:
                foreach (var field in obj.Fields ?? [])
                {
                    CollectVariables(field.Value, variables);
                }

                break;
        }
    }
}
