using System.Buffers;
using System.Text;
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
        Collect(data, fetch.Path, 0, null, entities);

        var targets = new EntityTargets();
        using var keys = new LeafKeyWriter();
        foreach (var target in entities)
        {
            if ((target.Entity["__typename"] as ResultLeaf)?.GetString() is not { } typename
                || !fetch.Representations.TryGetValue(typename, out var representation))
            {
                continue;
            }

            // Most positions a deep path reaches repeat an entity already found (the same product under many reviews):
            // with leaf keys, the text that identifies the representation is written straight from the entity, and only
            // the first of each builds one.
            // The text is looked up as characters in a reused buffer: only a representation not seen before becomes a string.
            string? key = null;
            if (representation.LeafFields is { } leaves)
            {
                if (!keys.Write(target.Entity, representation.TypeName, leaves) || targets.TryAddOwner(keys.Text, target))
                {
                    continue;
                }

                key = new string(keys.Text);
            }

            var projected = new JsonObject { ["__typename"] = representation.TypeName };
            var complete = true;
            foreach (var fieldSet in representation.FieldSets)
            {
                complete &= Project(target.Entity, fieldSet, projected);
            }

            if (complete)
            {
                targets.Add(projected, target, key);
            }
        }

        return targets;
    }

    /// <summary>
    /// Writes a leaf-key representation as <see cref="JsonNode.ToJsonString"/> would print the one
    /// <see cref="Project"/> builds: <c>__typename</c>, then each field in order. Null when the entity lacks a field.
    /// </summary>
    private sealed class LeafKeyWriter : IDisposable
    {
        private readonly ArrayBufferWriter<byte> _buffer = new(256);
        private Utf8JsonWriter? _writer;
        private char[] _chars = [];
        private int _length;

        /// <summary>The text <see cref="Write"/> wrote last; valid until the next call.</summary>
        public ReadOnlySpan<char> Text => _chars.AsSpan(0, _length);

        /// <returns>False when the entity lacks a field.</returns>
        public bool Write(ResultObject entity, string typeName, IReadOnlyList<(string Name, string? Alias)> leaves)
        {
            _buffer.ResetWrittenCount();
            if (_writer is null)
            {
                _writer = new Utf8JsonWriter(_buffer);
            }
            else
            {
                _writer.Reset(_buffer);
            }

            _writer.WriteStartObject();
            _writer.WriteString("__typename", typeName);
            // Indexed rather than foreach: an enumerator of the read-only list would be boxed for every entity.
            for (var i = 0; i < leaves.Count; i++)
            {
                var (name, alias) = leaves[i];
                if (!(alias is not null && entity.TryGetValue(alias, out var value)) && !entity.TryGetValue(name, out value))
                {
                    return false;
                }

                _writer.WritePropertyName(name);
                if (value is null)
                {
                    _writer.WriteNullValue();
                }
                else
                {
                    value.WriteTo(_writer);
                }
            }

            _writer.WriteEndObject();
            _writer.Flush();
            var bytes = _buffer.WrittenSpan;
            if (_chars.Length < bytes.Length)
            {
                // UTF-8 never decodes to more UTF-16 characters than it has bytes.
                _chars = new char[Math.Max(bytes.Length, 2 * _chars.Length)];
            }

            _length = Encoding.UTF8.GetChars(bytes, _chars);
            return true;
        }

        public void Dispose() => _writer?.Dispose();
    }

    private static void Collect(ResultNode? node, IReadOnlyList<string> path, int position, ResponsePath? current, List<EntityTarget> found)
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
                Collect(list[i], path, position, new ResponsePath(current, null, i), found);
            }

            return;
        }

        if (position == path.Count)
        {
            if (node is ResultObject obj)
            {
                found.Add(new EntityTarget(obj, current));
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
                    Collect(items[i], path, position + 1, new ResponsePath(current, null, i), found);
                }
            }

            return;
        }

        if (node is ResultObject parent && parent.TryGetValue(segment, out var child))
        {
            Collect(child, path, position + 1, new ResponsePath(current, segment, 0), found);
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

/// <summary>A response path kept as links to its parent: built for every entity found, read only when an error needs it.</summary>
internal sealed record ResponsePath(ResponsePath? Parent, string? Key, int Index)
{
    public static JsonArray ToJson(ResponsePath? path)
    {
        var segments = new List<JsonNode>();
        for (var p = path; p is not null; p = p.Parent)
        {
            segments.Add(p.Key is { } key ? JsonValue.Create(key) : JsonValue.Create(p.Index));
        }

        segments.Reverse();
        return new JsonArray([.. segments]);
    }
}
