using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using GraphQL;
using GraphQL.Builders;
using GraphQL.Types;
using GraphQLParser.AST;

namespace Federation.Subgraph.GraphQL;

public enum CacheScope
{
    Public,

    /// <summary>The answer depends on who asks: a cache may keep it only for that caller.</summary>
    Private,
}

/// <summary>What a type or field declares, as Apollo Server's <c>@cacheControl(maxAge, scope, inheritMaxAge)</c>.</summary>
/// <param name="InheritMaxAge">Take the parent field's max-age instead of the default 0 (connections, edges, page info).</param>
public sealed record CacheHint(int? MaxAge = null, CacheScope? Scope = null, bool InheritMaxAge = false);

/// <summary>How long and for whom a response may be cached: the most restrictive hint over every field it resolved.</summary>
/// <param name="MaxAge">Seconds; null while no field restricted it, 0 when the response must not be stored.</param>
public readonly record struct CachePolicy(int? MaxAge, CacheScope Scope)
{
    public static readonly CachePolicy NoStore = new(0, CacheScope.Public);

    public CachePolicy Restrict(int? maxAge, CacheScope? scope) => new(
        maxAge is { } age && (MaxAge is null || age < MaxAge) ? age : MaxAge,
        scope == CacheScope.Private ? CacheScope.Private : Scope);

    /// <summary>The <c>Cache-Control</c> value: a response no field gave a positive max-age is <c>no-store</c>.</summary>
    public string ToHeader() => MaxAge is > 0 and var age
        ? string.Create(CultureInfo.InvariantCulture, $"max-age={age}, {(Scope == CacheScope.Private ? "private" : "public")}")
        : "no-store";
}

/// <summary>
/// Cache hints as kit metadata instead of an <c>@cacheControl</c> directive: Apollo Server's directive is not part of
/// federation, so composition would drop it (or need <c>@composeDirective</c>) and the gateway never reads it from the
/// supergraph anyway; what it reads is the <c>Cache-Control</c> header <see cref="ResponseCachePolicy"/> computes.
/// </summary>
public static class CacheHints
{
    private const string MetadataKey = "federation:cacheControl";

    public static FieldBuilder<TSource, TReturn> CacheControl<TSource, TReturn>(
        this FieldBuilder<TSource, TReturn> field, int? maxAge = null, CacheScope? scope = null, bool inheritMaxAge = false) =>
        field.WithMetadata(MetadataKey, new CacheHint(maxAge, scope, inheritMaxAge));

    /// <summary>Every field returning the type (and every entity of it <c>_entities</c> resolves) gets this hint unless the field has its own.</summary>
    public static void CacheControl(this GraphType type, int? maxAge = null, CacheScope? scope = null, bool inheritMaxAge = false) =>
        type.Metadata[MetadataKey] = new CacheHint(maxAge, scope, inheritMaxAge);

    internal static CacheHint? Of(IProvideMetadata? owner) =>
        owner is not null && owner.Metadata.TryGetValue(MetadataKey, out var hint) ? hint as CacheHint : null;
}

/// <summary>
/// The cache policy of an operation, computed the way Apollo Server's cache-control plugin does, over the operation's
/// selections instead of while resolving (every fragment counts as resolved, which can only make the policy stricter):
/// <list type="bullet">
/// <item>a field takes its own hint, else, when it returns an object, interface or union, that type's hint;</item>
/// <item>a root field, or a field returning a composite type, without a max-age from either gets 0 (not cacheable),
/// unless the hint says <c>inheritMaxAge</c>; a leaf field without a hint takes its parent's;</item>
/// <item>a field or type guarded by <c>@authenticated</c>/<c>@requiresScopes</c> is private whatever it declares;</item>
/// <item><c>_entities</c> takes, for each entity type the operation selects, that type's hint, as <c>@apollo/subgraph</c>
/// does for the types it resolves.</item>
/// </list>
/// The response's policy is the smallest max-age and private if any field is. Computed once per parsed document.
/// </summary>
public static class ResponseCachePolicy
{
    private static readonly ConditionalWeakTable<GraphQLDocument, ConcurrentDictionary<string, CachePolicy>> Computed = new();

    public static CachePolicy Of(ISchema schema, GraphQLDocument document, GraphQLOperationDefinition operation)
    {
        if (operation.Operation != OperationType.Query || schema.Query is not IComplexGraphType query)
        {
            return CachePolicy.NoStore;
        }

        return Computed.GetValue(document, static _ => new(StringComparer.Ordinal))
            .GetOrAdd(operation.Name?.StringValue ?? string.Empty, _ => new Walker(schema, document).Root(query, operation.SelectionSet));
    }

    private sealed class Walker(ISchema schema, GraphQLDocument document)
    {
        private CachePolicy _policy = new(null, CacheScope.Public);

        public CachePolicy Root(IComplexGraphType query, GraphQLSelectionSet selections)
        {
            Walk(selections, query, root: true);
            return _policy.MaxAge is null ? CachePolicy.NoStore : _policy;
        }

        private void Walk(GraphQLSelectionSet selections, IGraphType? parent, bool root)
        {
            foreach (var selection in selections.Selections)
            {
                switch (selection)
                {
                    case GraphQLField field:
                        Field(field, parent, root);
                        break;
                    case GraphQLInlineFragment inline:
                        Walk(inline.SelectionSet, inline.TypeCondition is { } condition ? schema.AllTypes[condition.Type.Name.StringValue] : parent, root);
                        break;
                    case GraphQLFragmentSpread spread when Fragment(spread.FragmentName.Name.StringValue) is { } fragment:
                        Walk(fragment.SelectionSet, schema.AllTypes[fragment.TypeCondition.Type.Name.StringValue], root);
                        break;
                }
            }
        }

        private void Field(GraphQLField selection, IGraphType? parent, bool root)
        {
            var name = selection.Name.StringValue;
            if (name == "__typename")
            {
                return;
            }

            if (root && name == "_entities")
            {
                Entities(selection.SelectionSet);
                return;
            }

            if ((parent as IComplexGraphType)?.GetField(name) is not { } field)
            {
                // Introspection and anything unknown: never cached.
                _policy = _policy.Restrict(0, null);
                return;
            }

            var named = field.ResolvedType?.GetNamedType();
            var composite = named is IComplexGraphType or IAbstractGraphType;
            var typeHint = composite ? CacheHints.Of(named) : null;
            var fieldHint = CacheHints.Of(field);
            var maxAge = fieldHint?.MaxAge ?? (fieldHint?.InheritMaxAge == true ? null : typeHint?.MaxAge);
            var inherits = fieldHint?.InheritMaxAge == true || (fieldHint?.MaxAge is null && typeHint?.InheritMaxAge == true);
            if (maxAge is null && (root || (composite && !inherits)))
            {
                maxAge = 0;
            }

            var scope = Guarded(field) || Guarded(named) ? CacheScope.Private : fieldHint?.Scope ?? typeHint?.Scope;
            _policy = _policy.Restrict(maxAge, scope);
            if (composite && selection.SelectionSet is { } children)
            {
                Walk(children, named, root: false);
            }
        }

        /// <summary>Each entity type selected under <c>_entities</c> restricts the policy as a root field returning it would.</summary>
        private void Entities(GraphQLSelectionSet? selections)
        {
            foreach (var selection in selections?.Selections ?? [])
            {
                var (typeName, children) = selection switch
                {
                    GraphQLInlineFragment { TypeCondition: { } condition } inline => (condition.Type.Name.StringValue, inline.SelectionSet),
                    GraphQLFragmentSpread spread when Fragment(spread.FragmentName.Name.StringValue) is { } fragment =>
                        (fragment.TypeCondition.Type.Name.StringValue, fragment.SelectionSet),
                    _ => (null, null),
                };
                if (typeName is null || children is null)
                {
                    continue;
                }

                var type = schema.AllTypes[typeName];
                var hint = CacheHints.Of(type);
                _policy = _policy.Restrict(hint?.MaxAge ?? 0, Guarded(type) ? CacheScope.Private : hint?.Scope);
                Walk(children, type, root: false);
            }
        }

        private GraphQLFragmentDefinition? Fragment(string name) =>
            document.Definitions.OfType<GraphQLFragmentDefinition>().FirstOrDefault(f => f.FragmentName.Name.StringValue == name);

        private static bool Guarded(IProvideMetadata? owner) =>
            owner is IMetadataReader reader && reader.GetAppliedDirectives() is { } directives
            && (directives.Find("authenticated") is not null || directives.Find("requiresScopes") is not null);
    }
}
