using System.Collections;
using Federation.Gateway.Planning;
using Federation.Gateway.Schema;
using GraphQLParser.AST;

namespace Federation.Gateway.DemandControl;

/// <summary>An operation demand control cannot price, such as a <c>@listSize</c> that requires one slicing argument and got none.</summary>
public sealed class CostEstimationException(string message) : Exception(message);

/// <summary>
/// Apollo Router's static cost estimate of an operation (its <c>static_estimated</c> strategy): an object costs 1, a
/// scalar or enum 0, unless <c>@cost</c> says otherwise; a list multiplies its items' cost by its <c>@listSize</c> (the
/// largest slicing argument given, else the assumed size) or by the configured default list size; a connection's
/// <c>@listSize(sizedFields:)</c> sizes its <c>edges</c>/<c>nodes</c>; input objects in arguments cost 1 each; a mutation
/// adds 10. Unlike Apollo Router, which prices each subgraph fetch of the query plan, this prices the client's
/// operation against the supergraph, so it runs before planning.
/// </summary>
/// <remarks>
/// Every fragment is priced once per sizing context and its price reused at each spread, so the estimate is linear in
/// the document even when fragments double the expanded selection at every level.
/// </remarks>
public sealed class CostEstimator(Supergraph supergraph, CostSchema costs, GraphQLDocument document, Func<string, object?> variable, int defaultListSize)
{
    /// <summary>What a mutation operation costs before its fields, as in Apollo Router.</summary>
    public const double MutationCost = 10;

    private readonly Dictionary<string, GraphQLFragmentDefinition> _fragments = document.Definitions
        .OfType<GraphQLFragmentDefinition>()
        .GroupBy(f => f.FragmentName.Name.StringValue, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

    private readonly Dictionary<(string Fragment, Sizing? Sizing), double?> _fragmentCosts = [];

    public double Estimate(GraphQLOperationDefinition operation)
    {
        var root = operation.Operation switch
        {
            OperationType.Mutation => supergraph.MutationType,
            OperationType.Subscription => supergraph.SubscriptionType,
            _ => supergraph.QueryType,
        } ?? throw new CostEstimationException($"The schema has no {Planning.OperationKeyword.Of(operation.Operation)} type.");
        var cost = operation.Operation == OperationType.Mutation ? MutationCost : 0;
        return cost + SelectionSet(operation.SelectionSet, root, null);
    }

    private double SelectionSet(GraphQLSelectionSet? set, string parentType, Sizing? sizing)
    {
        var cost = 0d;
        foreach (var selection in set?.Selections ?? [])
        {
            if (!FieldCollector.Included((selection as IHasDirectivesNode)?.Directives, variable))
            {
                continue;
            }

            cost += selection switch
            {
                GraphQLField field => Field(field, parentType, sizing?.SizeOf(field.Name.StringValue)),
                GraphQLInlineFragment inline => SelectionSet(inline.SelectionSet, inline.TypeCondition?.Type.Name.StringValue ?? parentType, sizing),
                GraphQLFragmentSpread spread => Fragment(spread.FragmentName.Name.StringValue, sizing),
                _ => 0,
            };
        }

        return cost;
    }

    private double Fragment(string name, Sizing? sizing)
    {
        if (!_fragments.TryGetValue(name, out var fragment))
        {
            return 0; // validation reports an unknown fragment
        }

        if (_fragmentCosts.TryGetValue((name, sizing), out var known))
        {
            return known ?? 0; // null: a cycle, which validation reports
        }

        _fragmentCosts[(name, sizing)] = null;
        var cost = SelectionSet(fragment.SelectionSet, fragment.TypeCondition.Type.Name.StringValue, sizing);
        _fragmentCosts[(name, sizing)] = cost;
        return cost;
    }

    private double Field(GraphQLField field, string parentType, int? sizeFromParent)
    {
        var name = field.Name.StringValue;

        // __typename is free; introspection is answered by the gateway itself and bounded by the introspection limits.
        if (name.StartsWith("__", StringComparison.Ordinal)
            || !supergraph.Types.TryGetValue(parentType, out var parent)
            || !parent.Fields.TryGetValue(name, out var definition))
        {
            return 0;
        }

        var info = costs.Field(parentType, name);
        var sizing = info?.ListSize is { } listSize ? Sizing.For(listSize, field, info.Arguments, variable) : null;
        var count = TypeRefs.ListDepth(definition.Type) == 0 ? 1 : sizeFromParent ?? sizing?.ExpectedSize ?? defaultListSize;
        var composite = supergraph.Types.TryGetValue(definition.NamedType, out var type) && type.IsComposite;
        var typeCost = info?.Weight ?? (composite ? 1 : 0);
        if (field.SelectionSet is not null)
        {
            typeCost += SelectionSet(field.SelectionSet, definition.NamedType, sizing);
        }

        return count * typeCost + Arguments(field, info);
    }

    private double Arguments(GraphQLField field, FieldCost? info)
    {
        var cost = 0d;
        foreach (var argument in field.Arguments?.Items ?? [])
        {
            if (info?.Arguments.GetValueOrDefault(argument.Name.StringValue) is { } definition)
            {
                cost += ArgumentCost.Of(argument.Value, definition, costs, supergraph, variable);
            }
        }

        return cost;
    }
}

/// <summary>A <c>@listSize</c> applied to one field of the operation: the size it expects and the fields it sizes.</summary>
internal sealed record Sizing(int? ExpectedSize, IReadOnlySet<string>? SizedFields)
{
    public int? SizeOf(string field) => SizedFields?.Contains(field) == true ? ExpectedSize : null;

    public static Sizing For(ListSizeDirective directive, GraphQLField field, IReadOnlyDictionary<string, InputCost> arguments, Func<string, object?> variable)
    {
        int? largest = null;
        var given = 0;
        foreach (var name in directive.SlicingArguments)
        {
            var value = field.Arguments?.Items.Find(a => a.Name.StringValue == name)?.Value;
            var size = value switch
            {
                GraphQLVariable v => ArgumentCost.Integer(variable(v.Name.StringValue)),
                not null => CostSchema.Number(value) is { } n ? (long)n : null,
                null => arguments.GetValueOrDefault(name)?.DefaultValue is { } fallback && CostSchema.Number(fallback) is { } d ? (long)d : null,
            };
            if (size is { } s)
            {
                given++;
                var clamped = (int)Math.Clamp(s, 0, int.MaxValue);
                largest = largest is null ? clamped : Math.Max(largest.Value, clamped);
            }
        }

        if (directive.SlicingArguments.Count > 0 && directive.RequireOneSlicingArgument && given != 1)
        {
            throw new CostEstimationException(
                $"Field '{field.Name.StringValue}' needs exactly one of its slicing arguments ({string.Join(", ", directive.SlicingArguments)}); {given} were given.");
        }

        return new Sizing(largest ?? directive.AssumedSize, directive.SizedFields);
    }
}

/// <summary>Argument values priced as Apollo Router prices them: an input object 1 (or its <c>@cost</c>), leaves their <c>@cost</c>.</summary>
internal static class ArgumentCost
{
    public static double Of(GraphQLValue value, InputCost definition, CostSchema costs, Supergraph supergraph, Func<string, object?> variable) => value switch
    {
        GraphQLVariable v => OfValue(variable(v.Name.StringValue), definition, costs, supergraph),
        GraphQLNullValue => 0,
        GraphQLObjectValue o when IsInputObject(definition, supergraph) =>
            (definition.Weight ?? 1) + (o.Fields ?? []).Sum(f =>
                costs.InputField(definition.NamedType, f.Name.StringValue) is { } inner ? Of(f.Value, inner, costs, supergraph, variable) : 0),
        GraphQLListValue l => (definition.Weight ?? 0) + (l.Values ?? []).Sum(item => Of(item, definition, costs, supergraph, variable)),
        _ => definition.Weight ?? 0,
    };

    /// <summary>The same rules over a variable's coerced value.</summary>
    public static double OfValue(object? value, InputCost definition, CostSchema costs, Supergraph supergraph) => value switch
    {
        null => 0,
        IDictionary<string, object?> fields when IsInputObject(definition, supergraph) =>
            (definition.Weight ?? 1) + fields.Sum(f =>
                costs.InputField(definition.NamedType, f.Key) is { } inner ? OfValue(f.Value, inner, costs, supergraph) : 0),
        string => definition.Weight ?? 0,
        IEnumerable items => (definition.Weight ?? 0) + items.Cast<object?>().Sum(item => OfValue(item, definition, costs, supergraph)),
        _ => definition.Weight ?? 0,
    };

    public static long? Integer(object? value) => value switch
    {
        int i => i,
        long l => l,
        short s => s,
        byte b => b,
        System.Numerics.BigInteger big => big > long.MaxValue ? long.MaxValue : big < long.MinValue ? long.MinValue : (long)big,
        _ => null,
    };

    private static bool IsInputObject(InputCost definition, Supergraph supergraph) =>
        supergraph.Types.TryGetValue(definition.NamedType, out var type) && type.Kind == TypeKind.InputObject;
}
