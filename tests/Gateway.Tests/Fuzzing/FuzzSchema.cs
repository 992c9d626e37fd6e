using GraphQLParser;
using GraphQLParser.AST;

namespace Federation.Gateway.Tests.Fuzzing;

internal enum FuzzKind
{
    Scalar,
    Enum,
    Object,
    Interface,
    Union,
    Input,
}

internal sealed record FuzzInput(string Name, GraphQLType Type, bool HasDefault);

internal sealed record FuzzField(string Name, GraphQLType Type, IReadOnlyList<FuzzInput> Arguments)
{
    public string NamedType => FuzzSchema.NamedType(Type);
}

internal sealed class FuzzType(string name, FuzzKind kind)
{
    public string Name { get; } = name;

    public FuzzKind Kind { get; } = kind;

    public List<FuzzField> Fields { get; } = [];

    public List<FuzzInput> InputFields { get; } = [];

    public List<string> EnumValues { get; } = [];

    /// <summary>Object types a value of this type can have at run time (itself for an object type).</summary>
    public List<string> PossibleTypes { get; } = [];

    public bool IsComposite => Kind is FuzzKind.Object or FuzzKind.Interface or FuzzKind.Union;

    public bool IsAbstract => Kind is FuzzKind.Interface or FuzzKind.Union;
}

/// <summary>The client-facing (API) schema as the generator needs it: types, fields, arguments, possible types.</summary>
internal sealed class FuzzSchema
{
    private FuzzSchema(Dictionary<string, FuzzType> types, string queryType)
    {
        Types = types;
        Query = types[queryType];
    }

    public IReadOnlyDictionary<string, FuzzType> Types { get; }

    public FuzzType Query { get; }

    public FuzzType Type(string name) => Types.TryGetValue(name, out var type) ? type : new FuzzType(name, FuzzKind.Scalar);

    public static FuzzSchema Parse(string sdl)
    {
        var document = Parser.Parse(sdl);
        var types = new Dictionary<string, FuzzType>(StringComparer.Ordinal);
        var implementations = new List<(string Object, string Interface)>();
        foreach (var definition in document.Definitions)
        {
            switch (definition)
            {
                case GraphQLObjectTypeDefinition o:
                    var obj = Add(types, o.Name.StringValue, FuzzKind.Object);
                    obj.Fields.AddRange(Fields(o.Fields));
                    obj.PossibleTypes.Add(obj.Name);
                    implementations.AddRange(o.Interfaces?.Items.Select(i => (obj.Name, i.Name.StringValue)) ?? []);
                    break;
                case GraphQLInterfaceTypeDefinition i:
                    Add(types, i.Name.StringValue, FuzzKind.Interface).Fields.AddRange(Fields(i.Fields));
                    break;
                case GraphQLUnionTypeDefinition u:
                    Add(types, u.Name.StringValue, FuzzKind.Union).PossibleTypes.AddRange(u.Types?.Items.Select(t => t.Name.StringValue) ?? []);
                    break;
                case GraphQLEnumTypeDefinition e:
                    Add(types, e.Name.StringValue, FuzzKind.Enum).EnumValues.AddRange(e.Values?.Items.Select(v => v.Name.StringValue) ?? []);
                    break;
                case GraphQLInputObjectTypeDefinition input:
                    Add(types, input.Name.StringValue, FuzzKind.Input).InputFields.AddRange(Inputs(input.Fields?.Items));
                    break;
                case GraphQLScalarTypeDefinition s:
                    Add(types, s.Name.StringValue, FuzzKind.Scalar);
                    break;
            }
        }

        foreach (var (obj, face) in implementations)
        {
            if (types.TryGetValue(face, out var interfaceType))
            {
                interfaceType.PossibleTypes.Add(obj);
            }
        }

        var queryType = document.Definitions.OfType<GraphQLSchemaDefinition>().SelectMany(s => s.OperationTypes)
            .FirstOrDefault(t => t.Operation == OperationType.Query)?.Type?.Name.StringValue ?? "Query";
        return new FuzzSchema(types, queryType);
    }

    public static string NamedType(GraphQLType type) => type switch
    {
        GraphQLNonNullType n => NamedType(n.Type),
        GraphQLListType l => NamedType(l.Type),
        GraphQLNamedType named => named.Name.StringValue,
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    public static string Print(GraphQLType type) => type switch
    {
        GraphQLNonNullType n => Print(n.Type) + "!",
        GraphQLListType l => "[" + Print(l.Type) + "]",
        GraphQLNamedType named => named.Name.StringValue,
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    private static FuzzType Add(Dictionary<string, FuzzType> types, string name, FuzzKind kind) => types[name] = new FuzzType(name, kind);

    private static IEnumerable<FuzzField> Fields(GraphQLFieldsDefinition? fields) =>
        fields?.Items.Select(f => new FuzzField(f.Name.StringValue, f.Type, [.. Inputs(f.Arguments?.Items)])) ?? [];

    private static IEnumerable<FuzzInput> Inputs(IEnumerable<GraphQLInputValueDefinition>? values) =>
        values?.Select(v => new FuzzInput(v.Name.StringValue, v.Type, v.DefaultValue is not null)) ?? [];
}
