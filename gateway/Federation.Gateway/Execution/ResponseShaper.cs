using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Federation.Gateway.Authorization;
using Federation.Gateway.Planning;
using Federation.Gateway.Schema;
using GraphQLParser.AST;

namespace Federation.Gateway.Execution;

/// <summary>
/// Walks the client's operation over the merged subgraph data: keeps only requested fields in request order, under
/// their aliases, resolves fragments by <c>__typename</c> and propagates nulls to the nearest nullable parent.
/// A field authorization left out of the plan is answered null with an error at its path.
/// </summary>
/// <remarks>
/// Shaping builds no second tree. <see cref="Shape"/> walks the merged data once to find what must become null (a failed
/// non-null field nulls its nearest nullable ancestor, which may already be half written by then) and to collect the
/// errors; the objects and lists it nulls are remembered by reference. <see cref="ShapedData.WriteTo"/> then walks the
/// same selection again and writes the answer straight from the merged data, skipping what the first walk nulled.
/// </remarks>
public sealed class ResponseShaper(Supergraph supergraph, FieldCollector collector, JsonObject? introspection, AuthorizedOperation? authorized = null)
{
    public List<JsonObject> CompletionErrors { get; } = [];

    public List<JsonObject> AuthorizationErrors { get; } = [];

    // The response path of the value being checked, as a stack; it becomes a JSON array only when an error needs it.
    private readonly List<PathSegment> _path = [];

    // Objects and lists of the merged data that the answer carries as null (each node sits at one response position).
    private HashSet<ResultNode>? _nulled;

    /// <summary>Finds the nulls and errors of the answer; the returned data writes the answer itself.</summary>
    public ShapedData Shape(string rootType, GraphQLOperationDefinition operation, ResultObject data)
    {
        var type = supergraph.Type(rootType);
        var fields = collector.Shared(rootType, [operation.SelectionSet]);
        var isNull = CheckObject(data, type, fields, out var failed) || failed;
        return new ShapedData(this, isNull ? null : data, type, fields);
    }

    /// <returns>Whether the object is answered null (a refused or failed non-null field in it).</returns>
    private bool CheckObject(ResultObject source, TypeDef type, IReadOnlyList<MergedField> fields, out bool failed)
    {
        // Once the object is bound to become null (a refused or failed non-null field), its remaining fields are not
        // checked, but refused ones are still reported: the client learns every path it may not read.
        var nulled = false;
        // Indexed rather than foreach: an enumerator of the read-only list would be boxed for every object shaped.
        for (var f = 0; f < fields.Count; f++)
        {
            var field = fields[f];
            if (field.Name == "__typename" || (field.Name is "__schema" or "__type" && supergraph.IsRootType(type.Name)))
            {
                continue;
            }

            var shaped = FieldOn(type, field);
            if (shaped.Def is not { } def || (shaped.IsPlain && authorized is null))
            {
                // Not a field of the type, or a nullable scalar: whatever the answer holds there, nothing becomes null.
                continue;
            }

            _path.Add(new PathSegment(field.ResponseKey, 0));
            if (Refused(source, type, def, field))
            {
                // Null propagation as for any field error, without a value-completion error of its own.
                AuthorizationErrors.Add(OperationFilter.Error(PathArray()));
                _path.RemoveAt(_path.Count - 1);
                nulled |= def.Type is GraphQLNonNullType;
                continue;
            }

            if (nulled)
            {
                _path.RemoveAt(_path.Count - 1);
                continue;
            }

            CheckValue(source[field.ResponseKey], def.Type, type, field, out var fieldFailed, out _);
            _path.RemoveAt(_path.Count - 1);
            nulled |= fieldFailed;
        }

        failed = nulled;
        if (nulled)
        {
            (_nulled ??= new HashSet<ResultNode>(ReferenceEqualityComparer.Instance)).Add(source);
        }

        return nulled;
    }

    /// <returns>Whether the value is answered null.</returns>
    /// <param name="failed">A non-null position ended up null: the caller must become null itself.</param>
    /// <param name="nulledByChild">The value became null because a nested non-null field failed; that error is already recorded.</param>
    private bool CheckValue(ResultNode? value, GraphQLType type, TypeDef parent, MergedField field, out bool failed, out bool nulledByChild)
    {
        failed = false;
        nulledByChild = false;
        if (type is GraphQLNonNullType nonNull)
        {
            var innerNull = CheckValue(value, nonNull.Type, parent, field, out var innerFailed, out var innerNulledByChild);
            if (innerNull)
            {
                if (!innerFailed && !innerNulledByChild)
                {
                    CompletionErrors.Add(new JsonObject
                    {
                        ["message"] = $"Cannot return null for non-nullable field {parent.Name}.{field.Name}.",
                        ["path"] = PathArray(),
                    });
                }

                failed = true;
            }

            return innerNull;
        }

        if (value is null)
        {
            return true;
        }

        if (type is GraphQLListType listType)
        {
            if (value is not ResultList list)
            {
                return true;
            }

            // Every item is checked even after one failed and the list is bound to become null: each item's
            // refused paths get their own error, as Apollo Router reports one per path.
            for (var i = 0; i < list.Count; i++)
            {
                _path.Add(new PathSegment(null, i));
                CheckValue(list[i], listType.Type, parent, field, out var itemFailed, out _);
                _path.RemoveAt(_path.Count - 1);
                nulledByChild |= itemFailed;
            }

            if (nulledByChild)
            {
                (_nulled ??= new HashSet<ResultNode>(ReferenceEqualityComparer.Instance)).Add(list);
            }

            return nulledByChild;
        }

        var named = NamedType(field, (GraphQLNamedType)type);
        if (!named.IsComposite)
        {
            if (HiddenEnumValue(named, value) is { } text)
            {
                CompletionErrors.Add(new JsonObject
                {
                    ["message"] = $"Enum \"{named.Name}\" cannot represent value: \"{text}\"",
                    ["path"] = PathArray(),
                });
                return true;
            }

            return false;
        }

        if (ConcreteType(named, value) is not { } concrete)
        {
            return true;
        }

        var obj = (ResultObject)value;
        var objectNull = CheckObject(obj, concrete, FieldsOn(concrete, field), out var objectFailed);
        nulledByChild = objectFailed;
        return objectNull;
    }

    private void WriteObject(Utf8JsonWriter writer, ResultObject source, TypeDef type, IReadOnlyList<MergedField> fields)
    {
        writer.WriteStartObject();
        for (var f = 0; f < fields.Count; f++)
        {
            var field = fields[f];
            if (field.Name == "__typename")
            {
                writer.WriteString(field.EncodedKey, type.Name);
                continue;
            }

            if (field.Name is "__schema" or "__type" && supergraph.IsRootType(type.Name))
            {
                writer.WritePropertyName(field.EncodedKey);
                WriteNode(writer, introspection?[field.ResponseKey]);
                continue;
            }

            if (FieldOn(type, field).Def is not { } def)
            {
                continue;
            }

            writer.WritePropertyName(field.EncodedKey);
            if (Refused(source, type, def, field))
            {
                writer.WriteNullValue();
                continue;
            }

            WriteValue(writer, source[field.ResponseKey], def.Type, field);
        }

        writer.WriteEndObject();
    }

    /// <summary>Writes a value <see cref="CheckValue"/> has seen, null wherever it found the answer null.</summary>
    private void WriteValue(Utf8JsonWriter writer, ResultNode? value, GraphQLType type, MergedField field)
    {
        while (type is GraphQLNonNullType nonNull)
        {
            type = nonNull.Type;
        }

        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }

        if (type is GraphQLListType listType)
        {
            if (value is not ResultList list || IsNulled(list))
            {
                writer.WriteNullValue();
                return;
            }

            writer.WriteStartArray();
            for (var i = 0; i < list.Count; i++)
            {
                WriteValue(writer, list[i], listType.Type, field);
            }

            writer.WriteEndArray();
            return;
        }

        var named = NamedType(field, (GraphQLNamedType)type);
        if (!named.IsComposite)
        {
            if (HiddenEnumValue(named, value) is not null)
            {
                writer.WriteNullValue();
                return;
            }

            value.WriteTo(writer);
            return;
        }

        if (ConcreteType(named, value) is not { } concrete || IsNulled(value))
        {
            writer.WriteNullValue();
            return;
        }

        WriteObject(writer, (ResultObject)value, concrete, FieldsOn(concrete, field));
    }

    private static void WriteNode(Utf8JsonWriter writer, JsonNode? node)
    {
        if (node is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            node.WriteTo(writer);
        }
    }

    private bool IsNulled(ResultNode node) => _nulled is not null && _nulled.Contains(node);

    /// <summary>A field authorization left out of the plan: the merged data has no value under its key.</summary>
    private bool Refused(ResultObject source, TypeDef type, FieldDef def, MergedField field) =>
        authorized is not null && !source.ContainsKey(field.ResponseKey) && !OperationFilter.Allows(supergraph, authorized.Caller, type, def);

    private static string? HiddenEnumValue(TypeDef named, ResultNode value) =>
        named.Kind == TypeKind.Enum && named.HiddenEnumValues.Count > 0 && value is ResultLeaf { IsString: true } enumValue
            && enumValue.GetString() is { } text && named.HiddenEnumValues.Contains(text)
            ? text
            : null;

    /// <summary>The field's definition on <paramref name="type"/> (null when it has none), resolved once per field and type.</summary>
    private ShapeCache.Field FieldOn(TypeDef type, MergedField field)
    {
        if (field.ShapedField is { } cached && ReferenceEquals(cached.Parent, type))
        {
            return cached;
        }

        type.Fields.TryGetValue(field.Name, out var def);
        var plain = def?.Type is GraphQLNamedType named
            && supergraph.Type(named.Name.StringValue) is { IsComposite: false } scalar
            && !(scalar.Kind == TypeKind.Enum && scalar.HiddenEnumValues.Count > 0);
        var entry = new ShapeCache.Field(type, def, plain);
        field.ShapedField = entry;
        return entry;
    }

    /// <summary>The type <paramref name="type"/> names, resolved once per field rather than once per value.</summary>
    private TypeDef NamedType(MergedField field, GraphQLNamedType type)
    {
        if (field.ShapedNamedType is { } cached && ReferenceEquals(cached.Node, type))
        {
            return cached.Type;
        }

        var named = supergraph.Type(type.Name.StringValue);
        field.ShapedNamedType = new ShapeCache.NamedType(type, named);
        return named;
    }

    /// <summary>The field's selections collected on <paramref name="concrete"/>, looked up again only when the concrete type changes.</summary>
    private IReadOnlyList<MergedField> FieldsOn(TypeDef concrete, MergedField field)
    {
        if (field.ShapedSelection is { } cached && ReferenceEquals(cached.Concrete, concrete))
        {
            return cached.Fields;
        }

        var fields = collector.Shared(concrete.Name, field.Selections);
        field.ShapedSelection = new ShapeCache.Selection(concrete, fields);
        return fields;
    }

    /// <summary>The object type a composite value is shaped as; null when the value is no object or names no possible type.</summary>
    private TypeDef? ConcreteType(TypeDef named, ResultNode value)
    {
        if (value is not ResultObject obj)
        {
            return null;
        }

        if (!named.IsAbstract)
        {
            return named;
        }

        var typename = (obj["__typename"] as ResultLeaf)?.GetString();
        if (typename is null || !supergraph.Types.TryGetValue(typename, out var runtime) || runtime.Inaccessible
            || (!supergraph.PossibleTypes(named.Name).Contains(typename) && typename != named.Name))
        {
            return null;
        }

        return runtime;
    }

    private JsonArray PathArray()
    {
        var path = new JsonArray();
        foreach (var segment in _path)
        {
            path.Add(segment.Key is { } key ? JsonValue.Create(key) : JsonValue.Create(segment.Index));
        }

        return path;
    }

    private readonly record struct PathSegment(string? Key, int Index);

    /// <summary>
    /// The client's <c>data</c>, written on demand from the merged subgraph data by the operation's selection. The merged
    /// data must not change once shaped.
    /// </summary>
    public sealed class ShapedData
    {
        private readonly ResponseShaper _shaper;
        private readonly ResultObject? _source;
        private readonly TypeDef _type;
        private readonly IReadOnlyList<MergedField> _fields;

        internal ShapedData(ResponseShaper shaper, ResultObject? source, TypeDef type, IReadOnlyList<MergedField> fields)
        {
            _shaper = shaper;
            _source = source;
            _type = type;
            _fields = fields;
        }

        /// <summary>Whether the whole <c>data</c> is null (a failed non-null root field).</summary>
        public bool IsNull => _source is null;

        public void WriteTo(Utf8JsonWriter writer)
        {
            if (_source is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                _shaper.WriteObject(writer, _source, _type, _fields);
            }
        }

        /// <summary>The data as a tree of its own, for readers that walk it rather than send it.</summary>
        public JsonObject? ToJsonObject()
        {
            if (_source is null)
            {
                return null;
            }

            var buffer = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                WriteTo(writer);
            }

            return JsonNode.Parse(buffer.WrittenSpan, ResultState.NodeOptions)!.AsObject();
        }
    }
}

/// <summary>What <see cref="ResponseShaper"/> keeps on a <see cref="MergedField"/> between the values it shapes.</summary>
internal static class ShapeCache
{
    /// <param name="IsPlain">A nullable scalar or enum without hidden values: no value there can fail or be hidden.</param>
    internal sealed record Field(TypeDef Parent, FieldDef? Def, bool IsPlain);

    internal sealed record NamedType(GraphQLNamedType Node, TypeDef Type);

    internal sealed record Selection(TypeDef Concrete, IReadOnlyList<MergedField> Fields);
}
