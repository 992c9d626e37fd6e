using GraphQL;
using GraphQL.Builders;
using GraphQL.Types;
using GraphQL.Utilities;

namespace Federation.Subgraph.GraphQL;

/// <summary>
/// Apollo Federation v2.5's <c>@authenticated</c> and <c>@requiresScopes</c>, imported under their own names.
/// The subgraph only declares them: composition carries them into the supergraph and the gateway enforces them
/// before planning (docs/architecture.md, "Security").
/// </summary>
public static class AuthorizationDirectives
{
    public static void Import(LinkConfiguration link)
    {
        link.Imports["@authenticated"] = "@authenticated";
        link.Imports["@requiresScopes"] = "@requiresScopes";
    }

    /// <summary>
    /// graphql-dotnet 8 declares <c>scopes</c> as <c>[String!]!</c>; the federation spec's
    /// <c>[[federation__Scope!]!]!</c> (OR of AND-sets) needs the nested list, or the SDL cannot be printed.
    /// </summary>
    public static void Define(ISchema schema)
    {
        if (schema.Directives.Find("requiresScopes") is { } directive)
        {
            directive.Arguments = new QueryArguments(new QueryArgument(
                new NonNullGraphType(new ListGraphType(new NonNullGraphType(new ListGraphType(new NonNullGraphType(new StringGraphType())))))) { Name = "scopes" });
        }
    }

    /// <summary>Only a caller with a verified token may select the field.</summary>
    public static FieldBuilder<TSource, TReturn> Authenticated<TSource, TReturn>(this FieldBuilder<TSource, TReturn> field) =>
        field.ApplyDirective("authenticated");

    /// <summary>Only a caller holding every scope of at least one of <paramref name="scopeSets"/> may select the field.</summary>
    public static FieldBuilder<TSource, TReturn> RequiresScopes<TSource, TReturn>(this FieldBuilder<TSource, TReturn> field, params string[][] scopeSets) =>
        field.ApplyDirective("requiresScopes", "scopes", Value(scopeSets));

    /// <summary>Every field returning the type needs the scopes of at least one of <paramref name="scopeSets"/>.</summary>
    public static void RequiresScopes(this GraphType type, params string[][] scopeSets) =>
        type.ApplyDirective("requiresScopes", "scopes", Value(scopeSets));

    /// <summary>Every field returning the type needs a verified token.</summary>
    public static void Authenticated(this GraphType type) => type.ApplyDirective("authenticated");

    private static List<object> Value(string[][] scopeSets) => [.. scopeSets.Select(set => (object)set.ToList<object>())];
}
