using System.Globalization;
using System.Text;

namespace Federation.Gateway.Tests.Fixtures;

/// <summary>The abusive documents of issue 14, built at any size.</summary>
public static class AbusiveDocuments
{
    /// <summary><c>{ ...F0 } fragment F0 on Query { ...F1 ...F1 } ... fragment F{levels} on Query { __typename }</c>: 2^levels fields once expanded.</summary>
    public static string DoublingFragments(int levels)
    {
        var text = new StringBuilder("{ ...F0 }");
        for (var i = 0; i < levels; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $" fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}");
        }

        return text.Append(CultureInfo.InvariantCulture, $" fragment F{levels} on Query {{ __typename }}").ToString();
    }

    /// <summary>
    /// <c>{ __schema { types { ...L{levels} } } }</c>, each level spreading the one below three times under
    /// <c>fields { type { ... ofType { ... ofType { ... } } } }</c>: 3^levels copies of the innermost selection.
    /// </summary>
    public static string IntrospectionFanOut(int levels)
    {
        var text = new StringBuilder("{ __schema { types { ...L").Append(levels).Append(" } } }");
        text.Append(" fragment L0 on __Type { name kind }");
        for (var k = 1; k <= levels; k++)
        {
            var below = "...L" + (k - 1).ToString(CultureInfo.InvariantCulture);
            text.Append(CultureInfo.InvariantCulture, $" fragment L{k} on __Type {{ name fields {{ name type {{ {below} ofType {{ {below} ofType {{ {below} }} }} }} }} }}");
        }

        return text.ToString();
    }

    /// <summary><paramref name="count"/> aliased copies of <paramref name="field"/>: <c>a0: field a1: field ...</c>.</summary>
    public static string Aliases(int count, string field)
    {
        var text = new StringBuilder("{");
        for (var i = 0; i < count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $" a{i}: {field}");
        }

        return text.Append(" }").ToString();
    }

    /// <summary>One field carrying <paramref name="count"/> directives (most of them unknown to any schema).</summary>
    public static string Directives(int count, string field) =>
        "{ " + field + string.Concat(Enumerable.Range(0, count).Select(i => " @d" + i.ToString(CultureInfo.InvariantCulture))) + " }";
}
