using Federation.Gateway.Authorization;
using GraphQLParser;
using GraphQLParser.AST;

namespace Federation.Gateway.Schema;

/// <summary>A parsed Apollo Federation v2 supergraph: the join metadata the planner needs and the derived API schema.</summary>
public sealed partial class Supergraph
{
    private readonly Dictionary<string, List<string>> _possibleTypes = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Type, string Graph), List<string>> _possibleTypesInGraph = [];

    private Supergraph(string sdl, GraphQLDocument document)
    {
        Sdl = sdl;
        Document = document;
    }

    public string Sdl { get; }

    internal GraphQLDocument Document { get; }

    /// <summary>Subgraphs by <c>join__Graph</c> enum value.</summary>
    public Dictionary<string, SubgraphInfo> Subgraphs { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, TypeDef> Types { get; } = new(StringComparer.Ordinal);

    public string QueryType { get; private set; } = "Query";

    public string? MutationType { get; private set; }

    public string? SubscriptionType { get; private set; }

    public ApiSchema Api { get; private set; } = null!;

    /// <summary>Effective <c>@authenticated</c>/<c>@requiresScopes</c> requirements of types and fields.</summary>
    public AccessRules Access { get; private set; } = null!;

    public static Supergraph Parse(string sdl)
    {
        var document = Parser.Parse(sdl, new ParserOptions { Ignore = IgnoreOptions.Comments });
        var supergraph = new Supergraph(sdl, document);
        supergraph.Load();
        supergraph.Api = ApiSchema.Create(supergraph);
        supergraph.Access = new AccessRules(supergraph);
        return supergraph;
    }

    public TypeDef Type(string name) =>
        Types.TryGetValue(name, out var type) ? type : throw new InvalidOperationException($"Unknown type '{name}'.");

    public bool IsRootType(string name) => name == QueryType || name == MutationType || name == SubscriptionType;

    /// <summary>Object types a value of <paramref name="typeName"/> can have in the API schema.</summary>
    public IReadOnlyList<string> PossibleTypes(string typeName)
    {
        if (_possibleTypes.TryGetValue(typeName, out var cached))
        {
            return cached;
        }

        var type = Type(typeName);
        List<string> result = type.Kind switch
        {
            TypeKind.Object => [typeName],
            TypeKind.Union => [.. type.UnionMembers],
            TypeKind.Interface => [.. Types.Values.Where(t => t.Kind == TypeKind.Object && t.Interfaces.Contains(typeName)).Select(t => t.Name)],
            _ => [],
        };
        lock (_possibleTypes)
        {
            _possibleTypes[typeName] = result;
        }

        return result;
    }

    /// <summary>Object types a value of <paramref name="typeName"/> can have when returned by <paramref name="graph"/>.</summary>
    public IReadOnlyList<string> PossibleTypesIn(string typeName, string graph)
    {
        lock (_possibleTypesInGraph)
        {
            if (_possibleTypesInGraph.TryGetValue((typeName, graph), out var cached))
            {
                return cached;
            }
        }

        var type = Type(typeName);
        List<string> result = type.Kind switch
        {
            TypeKind.Object => [typeName],
            TypeKind.Union => type.JoinUnionMembers.Count == 0
                ? [.. type.UnionMembers.Where(m => Type(m).InGraph(graph))]
                : [.. type.JoinUnionMembers.Where(m => m.Graph == graph).Select(m => m.Member)],
            TypeKind.Interface => [.. Types.Values.Where(t => t.Kind == TypeKind.Object && ImplementsIn(t, typeName, graph)).Select(t => t.Name)],
            _ => [],
        };
        lock (_possibleTypesInGraph)
        {
            _possibleTypesInGraph[(typeName, graph)] = result;
        }

        return result;
    }

    private static bool ImplementsIn(TypeDef type, string interfaceName, string graph)
    {
        if (!type.InGraph(graph))
        {
            return false;
        }

        return type.JoinImplements.Count == 0
            ? type.Interfaces.Contains(interfaceName)
            : type.JoinImplements.Exists(i => i.Graph == graph && i.Interface == interfaceName);
    }

    /// <summary>Whether an object of type <paramref name="objectType"/> matches a fragment on <paramref name="condition"/>.</summary>
    public bool Matches(string objectType, string condition) =>
        objectType == condition || (Types.TryGetValue(condition, out var c) && c.IsAbstract && PossibleTypes(condition).Contains(objectType));

    public string GraphName(string graph) => Subgraphs.TryGetValue(graph, out var info) ? info.Name : graph;
}
