using System.Text;
using System.Text.Json.Nodes;
using GraphQLParser.AST;

namespace Federation.Gateway.Tests.Fuzzing;

/// <summary>
/// Ids, keys and cursors read from the running subgraphs before fuzzing, so generated arguments mostly hit real
/// objects: <c>product(id:)</c> takes a harvested <c>Product.id</c>, <c>productId</c> one too, <c>after</c> a real cursor.
/// </summary>
internal sealed class HarvestedValues
{
    private const int HarvestDepth = 3;
    private readonly Dictionary<(string Type, string Field), SortedSet<string>> _values = [];
    private readonly Dictionary<string, SortedSet<string>> _cursors = new(StringComparer.Ordinal);

    /// <summary>Values for an argument named <paramref name="argument"/> on a field returning <paramref name="owner"/>.</summary>
    public IReadOnlyList<string> For(string argument, string owner)
    {
        if (_values.TryGetValue((owner, argument), out var values))
        {
            return [.. values];
        }

        return argument.Length > 2 && argument.EndsWith("Id", StringComparison.Ordinal)
            && _values.TryGetValue((char.ToUpperInvariant(argument[0]) + argument[1..^2], "id"), out values)
            ? [.. values]
            : [];
    }

    public IReadOnlyList<string> Cursors(string connection) => _cursors.TryGetValue(connection, out var values) ? [.. values] : [];

    /// <summary>Asks every root field that needs no arguments for the key-like fields below it (ids, and strings root fields take as arguments).</summary>
    public static async Task<HarvestedValues> HarvestAsync(FuzzSchema schema, IReadOnlySet<string> excluded, Func<string, Task<JsonObject>> execute)
    {
        var keyNames = schema.Query.Fields.SelectMany(f => f.Arguments).Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        var harvested = new HarvestedValues();
        foreach (var root in schema.Query.Fields.Where(f => !excluded.Contains(f.Name) && schema.Type(f.NamedType).IsComposite
            && !f.Arguments.Any(a => a.Type is GraphQLNonNullType && !a.HasDefault)))
        {
            var query = new StringBuilder("{ ");
            Field(query, schema, root, keyNames, 0);
            var response = await execute(query.Append(" }").ToString());
            harvested.Collect(schema, schema.Type(root.NamedType), response["data"]?[root.Name], keyNames);
        }

        return harvested;
    }

    private static void Field(StringBuilder sb, FuzzSchema schema, FuzzField field, HashSet<string> keyNames, int depth)
    {
        sb.Append(field.Name);
        if (field.Arguments.Any(a => a.Name == "first"))
        {
            sb.Append("(first: ").Append(depth == 0 ? 50 : 3).Append(')');
        }

        var type = schema.Type(field.NamedType);
        sb.Append(" { __typename ");
        foreach (var possible in type.PossibleTypes)
        {
            sb.Append("... on ").Append(possible).Append(" { __typename ");
            foreach (var child in schema.Type(possible).Fields)
            {
                var childType = schema.Type(child.NamedType);
                if (child.Name == "pageInfo")
                {
                    sb.Append("pageInfo { endCursor } ");
                }
                else if (!childType.IsComposite && (child.NamedType == "ID" || keyNames.Contains(child.Name)) && child.Arguments.Count == 0)
                {
                    sb.Append(child.Name).Append(' ');
                }
                else if (childType.IsComposite && depth < HarvestDepth && !child.Arguments.Any(a => a.Type is GraphQLNonNullType && !a.HasDefault))
                {
                    Field(sb, schema, child, keyNames, depth + 1);
                    sb.Append(' ');
                }
            }

            sb.Append("} ");
        }

        sb.Append('}');
    }

    private void Collect(FuzzSchema schema, FuzzType type, JsonNode? value, HashSet<string> keyNames)
    {
        switch (value)
        {
            case JsonArray items:
                foreach (var item in items)
                {
                    Collect(schema, type, item, keyNames);
                }

                break;
            case JsonObject obj when obj["__typename"]?.GetValue<string>() is { } typename && schema.Types.TryGetValue(typename, out var concrete):
                foreach (var (name, child) in obj)
                {
                    var field = concrete.Fields.Find(f => f.Name == name);
                    if (field is null)
                    {
                        continue;
                    }

                    if (name == "pageInfo" && child?["endCursor"]?.GetValue<string>() is { } cursor)
                    {
                        Add(_cursors, concrete.Name, cursor);
                    }
                    else if (schema.Type(field.NamedType).IsComposite)
                    {
                        Collect(schema, schema.Type(field.NamedType), child, keyNames);
                    }
                    else if (child is JsonValue scalar)
                    {
                        Add(_values, (concrete.Name, name), scalar.ToString());
                    }
                }

                break;
        }
    }

    private static void Add<TKey>(Dictionary<TKey, SortedSet<string>> map, TKey key, string value)
        where TKey : notnull
    {
        if (!map.TryGetValue(key, out var set))
        {
            set = new SortedSet<string>(StringComparer.Ordinal);
            map[key] = set;
        }

        set.Add(value);
    }
}
