using System.Text.Json.Nodes;
using Federation.Gateway.Planning;
using Federation.Gateway.Schema;
using GraphQLParser.AST;

namespace Federation.Gateway.DemandControl;

/// <summary>
/// The cost of the response actually sent, by the estimate's weights (Apollo Router's actual cost): each object in
/// the data costs 1 (or its <c>@cost</c>), each leaf or null its <c>@cost</c>, lists count the items they hold, and a
/// field's arguments are priced once. Walks the shaped data beside the merged subgraph data, which still carries the
/// <c>__typename</c> an abstract position needs to pick its fields.
/// </summary>
public sealed class ActualCost(Supergraph supergraph, CostSchema costs, FieldCollector collector, Func<string, object?> variable)
{
    public double Of(string rootType, GraphQLOperationDefinition operation, JsonObject? data, JsonObject? source)
    {
        var cost = operation.Operation == OperationType.Mutation ? CostEstimator.MutationCost : 0;
        return data is null ? cost : cost + Object(supergraph.Type(rootType), collector.Collect(rootType, [operation.SelectionSet]), data, source);
    }

    private double Object(TypeDef type, IReadOnlyList<MergedField> fields, JsonObject data, JsonObject? source)
    {
        var cost = 0d;
        foreach (var field in fields)
        {
            if (field.Name.StartsWith("__", StringComparison.Ordinal) || !type.Fields.TryGetValue(field.Name, out var definition))
            {
                continue;
            }

            var info = costs.Field(type.Name, field.Name);
            cost += Value(definition, info, field, data[field.ResponseKey], source?[field.ResponseKey]);
            foreach (var argument in field.Arguments?.Items ?? [])
            {
                if (info?.Arguments.GetValueOrDefault(argument.Name.StringValue) is { } argumentDefinition)
                {
                    cost += ArgumentCost.Of(argument.Value, argumentDefinition, costs, supergraph, variable);
                }
            }
        }

        return cost;
    }

    private double Value(FieldDef definition, FieldCost? info, MergedField field, JsonNode? value, JsonNode? source)
    {
        switch (value)
        {
            case JsonArray items:
                var cost = 0d;
                for (var i = 0; i < items.Count; i++)
                {
                    cost += Value(definition, info, field, items[i], source is JsonArray sources && i < sources.Count ? sources[i] : null);
                }

                return cost;
            case JsonObject obj:
                var named = supergraph.Type(definition.NamedType);
                var concrete = named.IsAbstract
                    && (source as JsonObject)?["__typename"] is JsonValue typename
                    && typename.TryGetValue<string>(out var name)
                    && supergraph.Types.TryGetValue(name, out var runtime)
                    ? runtime
                    : named;
                var children = concrete.IsAbstract ? 0 : Object(concrete, collector.Shared(concrete.Name, field.Selections), obj, source as JsonObject);
                return (info?.Weight ?? 1) + children;
            default:
                return info?.Weight ?? 0;
        }
    }
}
