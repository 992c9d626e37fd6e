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
public sealed class ResponseShaper(Supergraph supergraph, FieldCollector collector, JsonObject? introspection, AuthorizedOperation? authorized = null)
{
    public List<JsonObject> CompletionErrors { get; } = [];

    public List<JsonObject> AuthorizationErrors { get; } = [];

    // The response path of the value being shaped, as a stack; it becomes a JSON array only when an error needs it.
    private readonly List<object> _path = [];

    public JsonObject? Shape(string rootType, GraphQLOperationDefinition operation, JsonObject data)
    {
        var fields = collector.Collect(rootType, [operation.SelectionSet]);
        return ShapeObject(data, supergraph.Type(rootType), fields, out var failed) is JsonObject result && !failed ? result : null;
    }

    private JsonObject? ShapeObject(JsonObject source, TypeDef type, IReadOnlyList<MergedField> fields, out bool failed)
    {
        // Response keys of collected fields are unique, so values are added without a replace-or-add lookup.
        var result = new JsonObject();
        // Once the object is bound to become null (a refused or failed non-null field), its remaining fields are not
        // shaped, but refused ones are still reported: the client learns every path it may not read.
        var nulled = false;
        foreach (var field in fields)
        {
            if (field.Name == "__typename")
            {
                result.Add(field.ResponseKey, type.Name);
                continue;
            }

            if (field.Name is "__schema" or "__type" && supergraph.IsRootType(type.Name))
            {
                result.Add(field.ResponseKey, introspection?[field.ResponseKey]?.DeepClone());
                continue;
            }

            if (!type.Fields.TryGetValue(field.Name, out var def))
            {
                continue;
            }

            _path.Add(field.ResponseKey);
            if (authorized is not null && !source.ContainsKey(field.ResponseKey) && !OperationFilter.Allows(supergraph, authorized.Caller, type, def))
            {
                // Null propagation as for any field error, without a value-completion error of its own.
                AuthorizationErrors.Add(OperationFilter.Error(PathArray()));
                _path.RemoveAt(_path.Count - 1);
                nulled |= def.Type is GraphQLNonNullType;
                result.Add(field.ResponseKey, null);
                continue;
            }

            if (nulled)
            {
                _path.RemoveAt(_path.Count - 1);
                continue;
            }

            var value = ShapeValue(source[field.ResponseKey], def.Type, type, field, out var fieldFailed);
            _path.RemoveAt(_path.Count - 1);
            nulled |= fieldFailed;
            result.Add(field.ResponseKey, value);
        }

        failed = nulled;
        return nulled ? null : result;
    }

    /// <param name="failed">A non-null position ended up null: the caller must become null itself.</param>
    private JsonNode? ShapeValue(JsonNode? value, GraphQLType type, TypeDef parent, MergedField field, out bool failed) =>
        ShapeValue(value, type, parent, field, out failed, out _);

    /// <param name="nulledByChild">The value became null because a nested non-null field failed; that error is already recorded.</param>
    private JsonNode? ShapeValue(JsonNode? value, GraphQLType type, TypeDef parent, MergedField field, out bool failed, out bool nulledByChild)
    {
        failed = false;
        nulledByChild = false;
        if (type is GraphQLNonNullType nonNull)
        {
            var inner = ShapeValue(value, nonNull.Type, parent, field, out var innerFailed, out var innerNulledByChild);
            if (inner is null)
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

            return inner;
        }

        if (value is null)
        {
            return null;
        }

        if (type is GraphQLListType listType)
        {
            if (value is not JsonArray list)
            {
                return null;
            }

            // Every item is shaped even after one failed and the list is bound to become null: each item's
            // refused paths get their own error, as Apollo Router reports one per path.
            var items = new JsonArray();
            for (var i = 0; i < list.Count; i++)
            {
                _path.Add(i);
                var item = ShapeValue(list[i], listType.Type, parent, field, out var itemFailed);
                _path.RemoveAt(_path.Count - 1);
                nulledByChild |= itemFailed;
                if (!nulledByChild)
                {
                    items.Add(item);
                }
            }

            return nulledByChild ? null : items;
        }

        var named = supergraph.Type(((GraphQLNamedType)type).Name.StringValue);
        if (!named.IsComposite)
        {
            if (named.Kind == TypeKind.Enum && value is JsonValue enumValue && enumValue.TryGetValue<string>(out var text) && named.HiddenEnumValues.Contains(text))
            {
                CompletionErrors.Add(new JsonObject
                {
                    ["message"] = $"Enum \"{named.Name}\" cannot represent value: \"{text}\"",
                    ["path"] = PathArray(),
                });
                return null;
            }

            return value.DeepClone();
        }

        if (value is not JsonObject obj)
        {
            return null;
        }

        var concrete = named;
        if (named.IsAbstract)
        {
            var typename = obj["__typename"]?.GetValue<string>();
            if (typename is null || !supergraph.Types.TryGetValue(typename, out var runtime) || runtime.Inaccessible
                || (!supergraph.PossibleTypes(named.Name).Contains(typename) && typename != named.Name))
            {
                return null;
            }

            concrete = runtime;
        }

        var fields = collector.Shared(concrete.Name, field.Selections);
        var shaped = ShapeObject(obj, concrete, fields, out var objectFailed);
        nulledByChild = objectFailed;
        return objectFailed ? null : shaped;
    }

    private JsonArray PathArray() =>
        new([.. _path.Select(segment => segment is int index ? JsonValue.Create(index) : (JsonNode)JsonValue.Create((string)segment))]);
}
