using System.Globalization;
using Federation.Gateway.Schema;
using GraphQLParser.AST;

namespace Federation.Gateway.DemandControl;

/// <summary>A field's <c>@listSize</c>: how many items it returns, or its sized fields return.</summary>
/// <param name="SlicingArguments">Arguments whose largest given value is the size (<c>first</c>); empty when none.</param>
/// <param name="SizedFields">List fields of the returned object the size applies to (a connection's <c>edges</c>); null: the field itself.</param>
public sealed record ListSizeDirective(
    int? AssumedSize,
    IReadOnlyList<string> SlicingArguments,
    IReadOnlySet<string>? SizedFields,
    bool RequireOneSlicingArgument);

/// <summary>An argument or input field: its type, default value and <c>@cost</c> weight (its own, else its type's).</summary>
public sealed record InputCost(string Name, string NamedType, GraphQLValue? DefaultValue, double? Weight);

/// <summary>What demand control knows about one output field.</summary>
/// <param name="Weight">The field's <c>@cost</c>, else its return type's; null: the default (1 for composite types, 0 for leaves).</param>
public sealed record FieldCost(double? Weight, ListSizeDirective? ListSize, IReadOnlyDictionary<string, InputCost> Arguments);

/// <summary>
/// The <c>@cost</c> and <c>@listSize</c> directives of a supergraph (the cost spec, linked by composition from
/// Federation v2.9 subgraphs), read once per loaded supergraph. Names follow the supergraph's <c>@link</c> imports.
/// </summary>
public sealed class CostSchema
{
    private static readonly IReadOnlyDictionary<string, InputCost> NoArguments = new Dictionary<string, InputCost>();

    private readonly Dictionary<(string Type, string Field), FieldCost> _fields = [];
    private readonly Dictionary<(string Type, string Field), InputCost> _inputFields = [];

    private CostSchema()
    {
    }

    /// <summary>Whether the supergraph declares any <c>@cost</c> or <c>@listSize</c>.</summary>
    public bool Declared { get; private set; }

    public static CostSchema Read(Supergraph supergraph)
    {
        var schema = new CostSchema();
        var (cost, listSize) = DirectiveNames(supergraph.Document);
        var typeWeights = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var definition in supergraph.Document.Definitions.OfType<GraphQLTypeDefinition>())
        {
            if (Weight((definition as IHasDirectivesNode)?.Directives, cost) is { } weight)
            {
                typeWeights[definition.Name.StringValue] = weight;
                schema.Declared = true;
            }
        }

        foreach (var definition in supergraph.Document.Definitions.OfType<GraphQLTypeDefinition>())
        {
            var typeName = definition.Name.StringValue;
            switch (definition)
            {
                case GraphQLObjectTypeDefinition { Fields: { } fields }:
                    schema.ReadFields(typeName, fields, cost, listSize, typeWeights);
                    break;
                case GraphQLInterfaceTypeDefinition { Fields: { } fields }:
                    schema.ReadFields(typeName, fields, cost, listSize, typeWeights);
                    break;
                case GraphQLInputObjectTypeDefinition { Fields: { } inputs }:
                    foreach (var input in inputs.Items)
                    {
                        schema._inputFields[(typeName, input.Name.StringValue)] = schema.Input(input, cost, typeWeights);
                    }

                    break;
            }
        }

        return schema;
    }

    public FieldCost? Field(string type, string field) => _fields.GetValueOrDefault((type, field));

    public InputCost? InputField(string inputType, string field) => _inputFields.GetValueOrDefault((inputType, field));

    private void ReadFields(
        string typeName,
        GraphQLFieldsDefinition fields,
        string? cost,
        string? listSize,
        Dictionary<string, double> typeWeights)
    {
        foreach (var field in fields.Items)
        {
            var arguments = field.Arguments is { Items.Count: > 0 } list
                ? list.Items.ToDictionary(a => a.Name.StringValue, a => Input(a, cost, typeWeights), StringComparer.Ordinal)
                : NoArguments;
            var weight = Weight(field.Directives, cost);
            var sizes = ReadListSize(field.Directives, listSize);
            Declared |= weight is not null || sizes is not null;
            weight ??= typeWeights.TryGetValue(TypeRefs.NamedType(field.Type), out var byType) ? byType : null;
            _fields[(typeName, field.Name.StringValue)] = new FieldCost(weight, sizes, arguments);
        }
    }

    private InputCost Input(GraphQLInputValueDefinition input, string? cost, Dictionary<string, double> typeWeights)
    {
        var named = TypeRefs.NamedType(input.Type);
        var weight = Weight(input.Directives, cost);
        Declared |= weight is not null;
        weight ??= typeWeights.TryGetValue(named, out var byType) ? byType : null;
        return new InputCost(input.Name.StringValue, named, input.DefaultValue, weight);
    }

    /// <summary>
    /// The names <c>@cost</c>/<c>@listSize</c> go by in this supergraph: imported names (an <c>as:</c> renames), else the
    /// link spec's <c>namespace__name</c>. Without a link to the cost spec, the directives are not in force.
    /// </summary>
    private static (string? Cost, string? ListSize) DirectiveNames(GraphQLDocument document)
    {
        foreach (var schema in document.Definitions.OfType<GraphQLSchemaDefinition>())
        {
            foreach (var link in schema.Directives?.Items.Where(d => d.Name.StringValue == "link") ?? [])
            {
                if (Argument(link, "url") is not GraphQLStringValue url || !url.Value.ToString().StartsWith("https://specs.apollo.dev/cost/", StringComparison.Ordinal))
                {
                    continue;
                }

                var prefix = Argument(link, "as") is GraphQLStringValue alias ? alias.Value.ToString() : "cost";
                var cost = prefix; // a spec's own-named directive goes by the namespace itself
                var listSize = prefix + "__listSize";
                foreach (var import in (Argument(link, "import") as GraphQLListValue)?.Values ?? [])
                {
                    var (name, asName) = import switch
                    {
                        GraphQLStringValue s => (s.Value.ToString(), s.Value.ToString()),
                        GraphQLObjectValue o => (
                            (o.Fields?.Find(f => f.Name.StringValue == "name")?.Value as GraphQLStringValue)?.Value.ToString(),
                            (o.Fields?.Find(f => f.Name.StringValue == "as")?.Value as GraphQLStringValue)?.Value.ToString()),
                        _ => (null, null),
                    };
                    asName ??= name;
                    if (name == "@cost" && asName is not null)
                    {
                        cost = asName.TrimStart('@');
                    }
                    else if (name == "@listSize" && asName is not null)
                    {
                        listSize = asName.TrimStart('@');
                    }
                }

                return (cost, listSize);
            }
        }

        return (null, null);
    }

    private static double? Weight(GraphQLDirectives? directives, string? cost)
    {
        var directive = cost is null ? null : directives?.Items.Find(d => d.Name.StringValue == cost);
        return Argument(directive, "weight") is { } weight && Number(weight) is { } value ? value : null;
    }

    private static ListSizeDirective? ReadListSize(GraphQLDirectives? directives, string? listSize)
    {
        var directive = listSize is null ? null : directives?.Items.Find(d => d.Name.StringValue == listSize);
        if (directive is null)
        {
            return null;
        }

        var assumed = Argument(directive, "assumedSize") is { } size && Number(size) is { } value ? (int)value : (int?)null;
        var slicing = Strings(Argument(directive, "slicingArguments")) ?? [];
        var sized = Strings(Argument(directive, "sizedFields")) is { } names ? new HashSet<string>(names, StringComparer.Ordinal) : null;
        var requireOne = Argument(directive, "requireOneSlicingArgument") is GraphQLBooleanValue b ? b.BoolValue : true;
        return new ListSizeDirective(assumed, slicing, sized, requireOne);
    }

    private static GraphQLValue? Argument(GraphQLDirective? directive, string name) =>
        directive?.Arguments?.Items.Find(a => a.Name.StringValue == name)?.Value;

    internal static double? Number(GraphQLValue value) => value switch
    {
        GraphQLIntValue i when double.TryParse(i.Value.Span, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
        GraphQLFloatValue f when double.TryParse(f.Value.Span, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) => n,
        _ => null,
    };

    private static List<string>? Strings(GraphQLValue? value) => value switch
    {
        GraphQLListValue list => [.. (list.Values ?? []).OfType<GraphQLStringValue>().Select(s => s.Value.ToString())],
        GraphQLStringValue single => [single.Value.ToString()],
        _ => null,
    };
}
