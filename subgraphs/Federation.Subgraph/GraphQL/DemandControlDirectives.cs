using GraphQL;
using GraphQL.Builders;
using GraphQL.Types;
using GraphQL.Utilities;
using GraphQLParser.AST;

namespace Federation.Subgraph.GraphQL;

/// <summary>
/// Apollo Federation v2.9's demand-control directives, <c>@cost</c> and <c>@listSize</c> (the IBM GraphQL cost spec).
/// The subgraph only declares them: composition carries them into the supergraph and the gateway estimates each
/// operation's cost from them before any fetch (gateway/README.md, "Demand control").
/// </summary>
public static class DemandControlDirectives
{
    /// <summary>The federation version the subgraphs link: 2.9 is the first with <c>@cost</c>/<c>@listSize</c>.</summary>
    public const string FederationVersion = "2.9";

    public static void Import(LinkConfiguration link)
    {
        link.Imports["@cost"] = "@cost";
        link.Imports["@listSize"] = "@listSize";
    }

    /// <summary>graphql-dotnet 8 knows the federation directives up to v2.5; these two are defined here as the spec has them.</summary>
    public static void Define(ISchema schema)
    {
        schema.Directives.Register(
            new Directive(
                "cost",
                DirectiveLocation.ArgumentDefinition,
                DirectiveLocation.Enum,
                DirectiveLocation.FieldDefinition,
                DirectiveLocation.InputFieldDefinition,
                DirectiveLocation.Object,
                DirectiveLocation.Scalar)
            {
                Arguments = new QueryArguments(new QueryArgument<NonNullGraphType<IntGraphType>> { Name = "weight" }),
            },
            new Directive("listSize", DirectiveLocation.FieldDefinition)
            {
                Arguments = new QueryArguments(
                    new QueryArgument<IntGraphType> { Name = "assumedSize" },
                    new QueryArgument<ListGraphType<NonNullGraphType<StringGraphType>>> { Name = "slicingArguments" },
                    new QueryArgument<ListGraphType<NonNullGraphType<StringGraphType>>> { Name = "sizedFields" },
                    new QueryArgument<BooleanGraphType> { Name = "requireOneSlicingArgument", DefaultValue = true }),
            });
    }

    /// <summary>What resolving the field costs beyond the default (1 for an object, 0 for a scalar or enum).</summary>
    public static FieldBuilder<TSource, TReturn> Cost<TSource, TReturn>(this FieldBuilder<TSource, TReturn> field, int weight) =>
        field.ApplyDirective("cost", "weight", weight);

    /// <summary>
    /// How many items the field returns: the largest of the given <paramref name="slicingArguments"/> the query passes,
    /// else <paramref name="assumedSize"/>. With <paramref name="sizedFields"/> the size applies to those list fields of
    /// the returned object (a connection's <c>edges</c> and <c>nodes</c>) instead of the field itself.
    /// </summary>
    public static FieldBuilder<TSource, TReturn> ListSize<TSource, TReturn>(
        this FieldBuilder<TSource, TReturn> field,
        int? assumedSize = null,
        string[]? slicingArguments = null,
        string[]? sizedFields = null,
        bool requireOneSlicingArgument = true) =>
        field.ApplyDirective("listSize", directive =>
        {
            if (assumedSize is { } size)
                directive.AddArgument(new DirectiveArgument("assumedSize") { Value = size });
            if (slicingArguments is not null)
            {
                directive.AddArgument(new DirectiveArgument("slicingArguments") { Value = slicingArguments.ToList<object>() });

                // The spec's default is true, which makes an omitted `first` an error; our page sizes have defaults.
                directive.AddArgument(new DirectiveArgument("requireOneSlicingArgument") { Value = requireOneSlicingArgument });
            }

            if (sizedFields is not null)
                directive.AddArgument(new DirectiveArgument("sizedFields") { Value = sizedFields.ToList<object>() });
        });

    /// <summary>A connection sized by <c>first</c> (default <see cref="Paging.DefaultPageSize"/> when omitted).</summary>
    public static FieldBuilder<TSource, TReturn> ConnectionSize<TSource, TReturn>(this FieldBuilder<TSource, TReturn> field) =>
        field.ListSize(Paging.DefaultPageSize, ["first"], ["edges", "nodes"], requireOneSlicingArgument: false);

    /// <summary>A plain list sized by <c>first</c> (default <see cref="Paging.DefaultPageSize"/> when omitted).</summary>
    public static FieldBuilder<TSource, TReturn> PageSize<TSource, TReturn>(this FieldBuilder<TSource, TReturn> field) =>
        field.ListSize(Paging.DefaultPageSize, ["first"], requireOneSlicingArgument: false);
}
