using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Federation.Gateway.Planning;
using GraphQLParser.AST;

namespace Federation.Gateway.Execution;

public sealed partial class PlanExecutor
{
    /// <summary>Finds the entities at the fetch's path and projects each onto its key and @requires fields.</summary>
    private EntityTargets BuildRepresentations(FetchNode fetch, ResultObject data)
    {
        var entities = new List<EntityTarget>();
        var paths = new EntityPaths(fetch.Path);
        Collect(data, fetch.Path, 0, [], paths, entities);

        var targets = new EntityTargets(paths);
        var writer = new LeafRepresentationWriter();
        foreach (var target in entities)
        {
            if ((target.Entity["__typename"] as ResultLeaf)?.GetString() is not { } typename
                || !fetch.Representations.TryGetValue(typename, out var representation))
            {
                continue;
            }

            // Most positions a deep path reaches repeat an entity already found (the same product under many reviews):
            // with leaf keys, the representation is printed straight from the entity's values into a reused buffer and
            // looked up as bytes, so only the first of each is copied out, and nothing is built as JSON nodes.
            if (representation.LeafJsonPrefixes is { } prefixes)
            {
                if (writer.Write(target.Entity, prefixes, representation.LeafFields!) && !targets.TryAddOwner(writer.Utf8, target))
                {
                    targets.Add(writer.Utf8.ToArray(), target);
                }

                continue;
            }

            var projected = new JsonObject { ["__typename"] = representation.TypeName };
            var complete = true;
            foreach (var fieldSet in representation.FieldSets)
            {
                complete &= Project(target.Entity, fieldSet, projected);
            }

            if (complete)
            {
                targets.Add(JsonSerializer.SerializeToUtf8Bytes(projected), target);
            }
        }

        return targets;
    }

    /// <summary>
    /// Prints a leaf-key representation (<c>{"__typename":"Product","upc":"1"}</c>) from the entity's values: the
    /// entity's bytes are copied as they are, and only a string that needs escaping, or a value that is not a string,
    /// number or boolean, goes through a JSON writer.
    /// </summary>
    private sealed class LeafRepresentationWriter
    {
        // What a JSON string may not hold unescaped; any other UTF-8 (already validated when it was read) is copied.
        private static readonly SearchValues<byte> NeedsEscaping = SearchValues.Create([.. Enumerable.Range(0, 0x20).Select(b => (byte)b), (byte)'"', (byte)'\\']);

        private byte[] _buffer = new byte[256];
        private int _length;

        /// <summary>What <see cref="Write"/> printed last; valid until the next call.</summary>
        public ReadOnlySpan<byte> Utf8 => _buffer.AsSpan(0, _length);

        /// <returns>False when the entity lacks a field.</returns>
        /// <param name="prefixes">The representation's <see cref="Representation.LeafJsonPrefixes"/>, one per leaf.</param>
        public bool Write(ResultObject entity, byte[][] prefixes, IReadOnlyList<(string Name, string? Alias)> leaves)
        {
            _length = 0;
            // Indexed rather than foreach: an enumerator of the read-only list would be boxed for every entity.
            for (var i = 0; i < leaves.Count; i++)
            {
                var (name, alias) = leaves[i];
                if (!(alias is not null && entity.TryGetValue(alias, out var value)) && !entity.TryGetValue(name, out value))
                {
                    return false;
                }

                Append(prefixes[i]);
                WriteValue(value);
            }

            Append("}"u8);
            return true;
        }

        private void WriteValue(ResultNode? value)
        {
            switch (value)
            {
                case null:
                    Append("null"u8);
                    return;
                case ResultLeaf { IsString: true } leaf when !leaf.Utf8.ContainsAny(NeedsEscaping):
                    Append("\""u8);
                    Append(leaf.Utf8);
                    Append("\""u8);
                    return;
                case ResultLeaf { IsString: false } leaf:
                    // A number's text as the subgraph sent it, or true/false.
                    Append(leaf.Utf8);
                    return;
            }

            Append(value.ToUtf8().WrittenSpan);
        }

        private void Append(ReadOnlySpan<byte> bytes)
        {
            if (_length + bytes.Length > _buffer.Length)
            {
                Array.Resize(ref _buffer, Math.Max(_length + bytes.Length, 2 * _buffer.Length));
            }

            bytes.CopyTo(_buffer.AsSpan(_length));
            _length += bytes.Length;
        }
    }

    /// <param name="steps">The path walked to <paramref name="node"/>, as <see cref="EntityPaths"/> encodes steps.</param>
    private static void Collect(ResultNode? node, IReadOnlyList<string> path, int position, List<int> steps, EntityPaths paths, List<EntityTarget> found)
    {
        if (node is null)
        {
            return;
        }

        if (node is ResultList list && (position == path.Count || path[position] != "@"))
        {
            // Lists the plan path does not mark (an abstract field planned per type) are still walked element-wise.
            for (var i = 0; i < list.Count; i++)
            {
                steps.Add(i);
                Collect(list[i], path, position, steps, paths, found);
                steps.RemoveAt(steps.Count - 1);
            }

            return;
        }

        if (position == path.Count)
        {
            if (node is ResultObject obj)
            {
                found.Add(paths.Target(obj, steps));
            }

            return;
        }

        var segment = path[position];
        if (segment == "@")
        {
            if (node is ResultList items)
            {
                for (var i = 0; i < items.Count; i++)
                {
                    steps.Add(i);
                    Collect(items[i], path, position + 1, steps, paths, found);
                    steps.RemoveAt(steps.Count - 1);
                }
            }

            return;
        }

        if (node is ResultObject parent && parent.TryGetValue(segment, out var child))
        {
            steps.Add(EntityPaths.KeyStep(position));
            Collect(child, path, position + 1, steps, paths, found);
            steps.RemoveAt(steps.Count - 1);
        }
    }

    private bool Project(ResultObject source, GraphQLSelectionSet selectionSet, JsonObject target)
    {
        // Abstract values in a representation need their concrete type so the subgraph can read the fragments.
        if (selectionSet.Selections.Exists(s => s is GraphQLInlineFragment) && source["__typename"] is { } typenameNode && !target.ContainsKey("__typename"))
        {
            target["__typename"] = ToJson(typenameNode);
        }

        foreach (var selection in selectionSet.Selections)
        {
            switch (selection)
            {
                case GraphQLField field:
                    var name = field.Name.StringValue;
                    // Top-level required fields with arguments travel under a planner alias; nested ones under their name.
                    if (!(InternalAliases.ForFieldSetField(field) is { } alias && source.TryGetValue(alias, out var value))
                        && !source.TryGetValue(name, out value))
                    {
                        return false;
                    }

                    if (field.SelectionSet is null || value is null)
                    {
                        target[name] = ToJson(value);
                    }
                    else if (!ProjectValue(value, field.SelectionSet, out var projected, target[name]))
                    {
                        return false;
                    }
                    else
                    {
                        target[name] = projected;
                    }

                    break;
                case GraphQLInlineFragment inline:
                    var typename = (source["__typename"] as ResultLeaf)?.GetString();
                    if (inline.TypeCondition is null || (typename is not null && supergraph.Matches(typename, inline.TypeCondition.Type.Name.StringValue)))
                    {
                        if (!Project(source, inline.SelectionSet, target))
                        {
                            return false;
                        }
                    }

                    break;
            }
        }

        return true;
    }

    private bool ProjectValue(ResultNode value, GraphQLSelectionSet selectionSet, out JsonNode? projected, JsonNode? existing)
    {
        switch (value)
        {
            case ResultObject obj:
                var target = existing as JsonObject ?? [];
                projected = target;
                return Project(obj, selectionSet, target);
            case ResultList list:
                var items = new JsonArray();
                for (var i = 0; i < list.Count; i++)
                {
                    var item = list[i];
                    if (item is null)
                    {
                        items.Add(null);
                        continue;
                    }

                    if (!ProjectValue(item, selectionSet, out var p, null))
                    {
                        projected = null;
                        return false;
                    }

                    items.Add(p);
                }

                projected = items;
                return true;
            default:
                projected = ToJson(value);
                return true;
        }
    }

    /// <summary>A leaf (or whole value) of the result as the JSON a representation carries.</summary>
    private static JsonNode? ToJson(ResultNode? value) => value switch
    {
        null => null,
        ResultLeaf { IsString: true } leaf => JsonValue.Create(leaf.GetString()),
        ResultLeaf { Kind: System.Text.Json.JsonValueKind.True } => JsonValue.Create(true),
        ResultLeaf { Kind: System.Text.Json.JsonValueKind.False } => JsonValue.Create(false),
        _ => value.ToJsonNode(),
    };
}
