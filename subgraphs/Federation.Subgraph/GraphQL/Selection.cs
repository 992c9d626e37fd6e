using System.Linq.Expressions;
using System.Reflection;
using GraphQL;
using GraphQLParser.AST;

namespace Federation.Subgraph.GraphQL;

/// <summary>
/// What a resolver's selection asks for, so queries read only the columns a client requested.
/// Directives (@skip/@include) are ignored on purpose: reading a column too many is harmless.
/// </summary>
public static class Selection
{
    /// <summary>
    /// Field names selected at <paramref name="path"/> below the current field, through fragments;
    /// e.g. <c>("edges", "node")</c> on a connection field.
    /// </summary>
    public static HashSet<string> FieldsAt(IResolveFieldContext context, params string[] path)
    {
        var fragments = context.Document.Definitions.OfType<GraphQLFragmentDefinition>()
            .ToDictionary(f => f.FragmentName.Name.StringValue);
        var result = new HashSet<string>(StringComparer.Ordinal);
        Collect(context.FieldAst.SelectionSet, path, 0, fragments, result);
        return result;
    }

    private static void Collect(GraphQLSelectionSet? set, string[] path, int depth, Dictionary<string, GraphQLFragmentDefinition> fragments, HashSet<string> result)
    {
        if (set is null)
            return;
        foreach (var selection in set.Selections)
        {
            switch (selection)
            {
                case GraphQLField field when depth == path.Length:
                    result.Add(field.Name.StringValue);
                    break;
                case GraphQLField field when field.Name.StringValue == path[depth]:
                    Collect(field.SelectionSet, path, depth + 1, fragments, result);
                    break;
                case GraphQLInlineFragment inline:
                    Collect(inline.SelectionSet, path, depth, fragments, result);
                    break;
                case GraphQLFragmentSpread spread when fragments.TryGetValue(spread.FragmentName.Name.StringValue, out var fragment):
                    Collect(fragment.SelectionSet, path, depth, fragments, result);
                    break;
            }
        }
    }

    /// <summary>
    /// <c>x => new T { A = x.A, B = x.B }</c> for the named properties: EF Core turns it into a SELECT of
    /// exactly those columns. Unknown names are a programming error and throw.
    /// </summary>
    public static Expression<Func<T, T>> Projection<T>(IEnumerable<string> properties) where T : new()
    {
        var parameter = Expression.Parameter(typeof(T), "x");
        var bindings = properties.Distinct().Select(name =>
        {
            var property = typeof(T).GetProperty(name, BindingFlags.Public | BindingFlags.Instance)
                ?? throw new ArgumentException($"{typeof(T).Name} has no property {name}.", nameof(properties));
            return (MemberBinding)Expression.Bind(property, Expression.Property(parameter, property));
        });
        return Expression.Lambda<Func<T, T>>(Expression.MemberInit(Expression.New(typeof(T)), bindings), parameter);
    }
}
