using Federation.Gateway.Authorization;
using GraphQLParser.AST;

namespace Federation.Gateway.Schema;

public enum TypeKind
{
    Object,
    Interface,
    Union,
    Enum,
    InputObject,
    Scalar,
}

/// <summary>A subgraph as declared by a value of the supergraph's <c>join__Graph</c> enum.</summary>
public sealed record SubgraphInfo(string EnumValue, string Name, string Url);

public sealed record JoinType(string Graph, string? Key, bool Extension, bool Resolvable, bool IsInterfaceObject);

public sealed record JoinField(
    string? Graph,
    string? Requires,
    string? Provides,
    string? Type,
    bool External,
    string? Override,
    bool UsedOverridden);

public sealed class FieldDef(string name, GraphQLType type)
{
    public string Name { get; } = name;

    public GraphQLType Type { get; } = type;

    public string NamedType { get; } = TypeRefs.NamedType(type);

    public List<JoinField> Joins { get; } = [];

    public bool Inaccessible { get; set; }

    /// <summary>The field's own <c>@authenticated</c>/<c>@requiresScopes</c>; <see cref="AccessRules"/> adds its type's.</summary>
    public AccessRequirement Access { get; set; } = AccessRequirement.None;

    /// <summary>Whether the field is resolved by <paramref name="graph"/> itself (not external, not overridden away).</summary>
    public bool ResolvableIn(TypeDef owner, string graph)
    {
        if (Joins.Count == 0)
        {
            return owner.InGraph(graph);
        }

        return Joins.Exists(j => j.Graph == graph && !j.External && !j.UsedOverridden);
    }

    public JoinField? JoinIn(string graph) => Joins.Find(j => j.Graph == graph);
}

public sealed class TypeDef(string name, TypeKind kind)
{
    public string Name { get; } = name;

    public TypeKind Kind { get; } = kind;

    public Dictionary<string, FieldDef> Fields { get; } = new(StringComparer.Ordinal);

    public List<JoinType> Joins { get; } = [];

    /// <summary>Interfaces per graph (join__implements); supergraph-wide in <see cref="Interfaces"/>.</summary>
    public List<(string Graph, string Interface)> JoinImplements { get; } = [];

    public List<string> Interfaces { get; } = [];

    public List<(string Graph, string Member)> JoinUnionMembers { get; } = [];

    public List<string> UnionMembers { get; } = [];

    /// <summary>Enum values marked @inaccessible: subgraphs may return them, clients must never see them.</summary>
    public HashSet<string> HiddenEnumValues { get; } = new(StringComparer.Ordinal);

    public bool Inaccessible { get; set; }

    /// <summary>The type's own <c>@authenticated</c>/<c>@requiresScopes</c>.</summary>
    public AccessRequirement Access { get; set; } = AccessRequirement.None;

    public bool IsAbstract => Kind is TypeKind.Interface or TypeKind.Union;

    public bool IsComposite => Kind is TypeKind.Object or TypeKind.Interface or TypeKind.Union;

    public IEnumerable<string> Graphs => Joins.Select(j => j.Graph).Distinct();

    public bool InGraph(string graph) => Joins.Count == 0 || Joins.Exists(j => j.Graph == graph);

    public bool IsInterfaceObjectIn(string graph) => Joins.Exists(j => j.Graph == graph && j.IsInterfaceObject);

    public IEnumerable<JoinType> KeysIn(string graph) => Joins.Where(j => j.Graph == graph && j.Key is not null);

    public JoinType? ResolvableKeyIn(string graph) => Joins.Find(j => j.Graph == graph && j.Key is not null && j.Resolvable);
}

public static class TypeRefs
{
    public static string NamedType(GraphQLType type) => type switch
    {
        GraphQLNonNullType nn => NamedType(nn.Type),
        GraphQLListType l => NamedType(l.Type),
        GraphQLNamedType n => n.Name.StringValue,
        _ => throw new InvalidOperationException("Unknown type reference."),
    };

    public static string Print(GraphQLType type) => type switch
    {
        GraphQLNonNullType nn => Print(nn.Type) + "!",
        GraphQLListType l => "[" + Print(l.Type) + "]",
        GraphQLNamedType n => n.Name.StringValue,
        _ => throw new InvalidOperationException("Unknown type reference."),
    };

    public static int ListDepth(GraphQLType type) => type switch
    {
        GraphQLNonNullType nn => ListDepth(nn.Type),
        GraphQLListType l => 1 + ListDepth(l.Type),
        _ => 0,
    };
}
