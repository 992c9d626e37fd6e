using System.Globalization;
using GraphQLParser.AST;

namespace Federation.GraphQLLimits;

/// <param name="MaxDepth">Deepest field nesting outside introspection; 0 disables.</param>
/// <param name="MaxAliases">Most aliased fields, counted per use of each fragment; 0 disables.</param>
/// <param name="MaxFields">Most fields once every fragment spread is expanded (introspection included); 0 disables.</param>
/// <param name="MaxIntrospectionDepth">
/// Most <c>fields</c>/<c>inputFields</c>/<c>interfaces</c>/<c>possibleTypes</c> nested in one another under
/// <c>__schema</c> or <c>__type</c> (graphql-js's MaxIntrospectionDepthRule allows 2); 0 disables the introspection checks.
/// </param>
public sealed record OperationLimitSettings(int MaxDepth, int MaxAliases, int MaxFields = 0, int MaxIntrospectionDepth = 0);

/// <summary>
/// Size limits checked before validation, in time linear in the document: every fragment is measured once (per
/// introspection context) and its measure reused at each spread, so a document that doubles its selection with each
/// fragment (<c>fragment F0 on Query { ...F1 ...F1 }</c> ... 26 levels, 2^26 fields) costs no more than its text.
/// </summary>
public static class OperationLimits
{
    /// <summary>Longest <c>ofType</c> chain an introspection query may ask for (HotChocolate's bound; real clients use 7 to 9).</summary>
    public const int MaxOfTypeDepth = 16;

    private static readonly HashSet<string> IntrospectionLists = new(StringComparer.Ordinal) { "fields", "inputFields", "interfaces", "possibleTypes" };

    /// <summary>The first limit the operation breaks, as (message, code), or null.</summary>
    public static (string Message, string Code)? Check(GraphQLDocument document, GraphQLOperationDefinition operation, OperationLimitSettings limits)
    {
        var measure = new Measurer(document).Of(operation.SelectionSet, introspection: false);
        if (limits.MaxDepth > 0 && measure.Depth > limits.MaxDepth)
        {
            return ($"The operation is {measure.Depth} fields deep; the limit is {limits.MaxDepth}.", "MAX_DEPTH_LIMIT");
        }

        if (limits.MaxAliases > 0 && measure.Aliases > limits.MaxAliases)
        {
            return ($"The operation uses {Count(measure.Aliases)} aliases; the limit is {limits.MaxAliases}.", "MAX_ALIASES_LIMIT");
        }

        if (limits.MaxIntrospectionDepth > 0 && measure.Lists > limits.MaxIntrospectionDepth)
        {
            return ($"Maximum introspection depth exceeded: fields, inputFields, interfaces and possibleTypes are nested {measure.Lists} deep; the limit is {limits.MaxIntrospectionDepth}.", "MAX_INTROSPECTION_DEPTH_LIMIT");
        }

        if (limits.MaxIntrospectionDepth > 0 && measure.OfTypes > MaxOfTypeDepth)
        {
            return ($"Maximum introspection depth exceeded: ofType is nested {measure.OfTypes} deep; the limit is {MaxOfTypeDepth}.", "MAX_INTROSPECTION_DEPTH_LIMIT");
        }

        if (limits.MaxFields > 0 && measure.Fields > limits.MaxFields)
        {
            return ($"The operation selects {Count(measure.Fields)} fields once its fragments are expanded; the limit is {limits.MaxFields}.", "MAX_FIELDS_LIMIT");
        }

        return null;
    }

    private static string Count(long value) =>
        value >= Measure.Saturated ? "more than " + Measure.Saturated.ToString("N0", CultureInfo.InvariantCulture) : value.ToString(CultureInfo.InvariantCulture);

    /// <summary>What a selection set adds up to once expanded: nesting maxima and saturating totals.</summary>
    private readonly record struct Measure(int Depth, long Aliases, long Fields, int Lists, int OfTypes)
    {
        public const long Saturated = 1L << 40;

        public static Measure Add(Measure a, Measure b) => new(
            Math.Max(a.Depth, b.Depth),
            Math.Min(a.Aliases + b.Aliases, Saturated),
            Math.Min(a.Fields + b.Fields, Saturated),
            Math.Max(a.Lists, b.Lists),
            Math.Max(a.OfTypes, b.OfTypes));
    }

    private sealed class Measurer(GraphQLDocument document)
    {
        private readonly Dictionary<string, GraphQLFragmentDefinition> _fragments = document.Definitions
            .OfType<GraphQLFragmentDefinition>()
            .GroupBy(f => f.FragmentName.Name.StringValue, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

        private readonly Dictionary<(string Fragment, bool Introspection), Measure?> _measured = [];

        public Measure Of(GraphQLSelectionSet? set, bool introspection)
        {
            var total = default(Measure);
            foreach (var selection in set?.Selections ?? [])
            {
                total = Measure.Add(total, selection switch
                {
                    GraphQLField field => Of(field, introspection),
                    GraphQLInlineFragment inline => Of(inline.SelectionSet, introspection),
                    GraphQLFragmentSpread spread => Of(spread.FragmentName.Name.StringValue, introspection),
                    _ => default,
                });
            }

            return total;
        }

        private Measure Of(GraphQLField field, bool introspection)
        {
            var name = field.Name.StringValue;
            var inside = introspection || name is "__schema" or "__type";
            var child = Of(field.SelectionSet, inside);

            // Introspection is answered by the gateway and bounded by its own depth rules below, not by MaxDepth.
            var meta = name.StartsWith("__", StringComparison.Ordinal);
            return new Measure(
                meta || introspection ? 0 : 1 + child.Depth,
                Math.Min(child.Aliases + (field.Alias is null ? 0 : 1), Measure.Saturated),
                Math.Min(child.Fields + 1, Measure.Saturated),
                child.Lists + (inside && IntrospectionLists.Contains(name) ? 1 : 0),
                child.OfTypes + (inside && name == "ofType" ? 1 : 0));
        }

        private Measure Of(string fragment, bool introspection)
        {
            if (!_fragments.TryGetValue(fragment, out var definition))
            {
                return default; // validation reports the unknown fragment
            }

            if (_measured.TryGetValue((fragment, introspection), out var known))
            {
                return known ?? default; // null: a cycle, which validation reports
            }

            _measured[(fragment, introspection)] = null;
            var measure = Of(definition.SelectionSet, introspection);
            _measured[(fragment, introspection)] = measure;
            return measure;
        }
    }
}
