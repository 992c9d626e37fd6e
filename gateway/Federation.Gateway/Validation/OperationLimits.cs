using GraphQLParser.AST;

namespace Federation.Gateway.Validation;

/// <summary>Depth and alias limits, checked on the validated document before planning so abusive operations cost nothing downstream.</summary>
public static class OperationLimits
{
    /// <summary>The first limit the operation breaks, as (message, code), or null.</summary>
    public static (string Message, string Code)? Check(GraphQLDocument document, GraphQLOperationDefinition operation, int maxDepth, int maxAliases)
    {
        var fragments = document.Definitions.OfType<GraphQLFragmentDefinition>().ToDictionary(f => f.FragmentName.Name.StringValue);
        var aliases = 0;
        var depth = Depth(operation.SelectionSet, fragments, [], ref aliases);
        if (maxDepth > 0 && depth > maxDepth)
        {
            return ($"The operation is {depth} fields deep; the limit is {maxDepth}.", "MAX_DEPTH_LIMIT");
        }

        if (maxAliases > 0 && aliases > maxAliases)
        {
            return ($"The operation uses {aliases} aliases; the limit is {maxAliases}.", "MAX_ALIASES_LIMIT");
        }

        return null;
    }

    // Aliases are counted per use: a fragment spread twice counts its aliases twice, as the executed selection does.
    private static int Depth(GraphQLSelectionSet? set, Dictionary<string, GraphQLFragmentDefinition> fragments, HashSet<string> visiting, ref int aliases)
    {
        var max = 0;
        foreach (var selection in set?.Selections ?? [])
        {
            switch (selection)
            {
                case GraphQLField field:
                    if (field.Alias is not null)
                    {
                        aliases++;
                    }

                    // Introspection is answered by the gateway and its standard queries are legitimately deep.
                    if (!field.Name.StringValue.StartsWith("__", StringComparison.Ordinal))
                    {
                        max = Math.Max(max, 1 + Depth(field.SelectionSet, fragments, visiting, ref aliases));
                    }

                    break;
                case GraphQLInlineFragment inline:
                    max = Math.Max(max, Depth(inline.SelectionSet, fragments, visiting, ref aliases));
                    break;
                case GraphQLFragmentSpread spread when fragments.TryGetValue(spread.FragmentName.Name.StringValue, out var fragment) && visiting.Add(fragment.FragmentName.Name.StringValue):
                    max = Math.Max(max, Depth(fragment.SelectionSet, fragments, visiting, ref aliases));
                    visiting.Remove(fragment.FragmentName.Name.StringValue);
                    break;
            }
        }

        return max;
    }
}
