using Federation.Gateway.Schema;
using GraphQL;
using GraphQL.Introspection;
using GraphQL.Resolvers;
using GraphQL.Types;
using GraphQL.Utilities;
using GraphQLParser.AST;

namespace Federation.Gateway.Introspection;

/// <summary>
/// The graphql-dotnet schema of the API SDL, introspected the way graphql-js (and so Apollo Gateway) answers: the
/// October 2021 specification plus the working draft's deprecation of arguments and input fields, <c>@specifiedBy</c>,
/// <c>@oneOf</c> and the specification's descriptions of built-in scalars and directives.
/// </summary>
internal sealed class IntrospectionSchema : GraphQL.Types.Schema
{
    private IntrospectionSchema(IServiceProvider services, GraphQLDocument document)
        : base(services, runConfigurations: false)
    {
        Features.RepeatableDirectives = true;
        Features.DeprecationOfInputValues = true;

        // The default filter hides isRepeatable from __Directive's own fields while answering it.
        Filter = new ExperimentalIntrospectionFeaturesSchemaFilter();
        SpecifiedDefinitions.Describe(Directives);
        Directives.Register(new SpecifiedByDirective(), new OneOfDirective());
        foreach (var scalar in SpecifiedDefinitions.Scalars(UsedTypes(document)))
        {
            RegisterType(scalar);
        }

        foreach (var scalar in document.Definitions.OfType<GraphQLScalarTypeDefinition>())
        {
            RegisterType(new CustomScalarGraphType(scalar));
        }
    }

    /// <summary>
    /// Builds and initializes the schema of <paramref name="sdl"/>, the print of <paramref name="document"/>;
    /// <paramref name="abstractTypes"/> get a type resolver that is never called.
    /// </summary>
    private static readonly GraphQL.Resolvers.SourceStreamResolver<object> NeverStreams = new(Unstreamable);

    public static ISchema Create(string sdl, GraphQLDocument document, IEnumerable<string> abstractTypes)
    {
        var builder = new Builder(document);
        foreach (var name in abstractTypes)
        {
            // Never used to resolve: execution happens in the subgraphs, the gateway only validates here.
            builder.Types.For(name).ResolveType = _ => null!;
        }

        var schema = builder.Build(sdl);
        foreach (var field in schema.Subscription?.Fields ?? [])
        {
            // Validation asks every subscription field for a stream resolver; the subgraph declaring it streams.
            field.StreamResolver = NeverStreams;
        }

        schema.Initialize();

        // The draft adds these locations to @deprecated; graphql-js lists them in this order.
        var deprecated = schema.Directives.Deprecated.Locations;
        deprecated.Clear();
        deprecated.AddRange([DirectiveLocation.FieldDefinition, DirectiveLocation.ArgumentDefinition, DirectiveLocation.InputFieldDefinition, DirectiveLocation.EnumValue]);
        return schema;
    }

    private static IObservable<object> Unstreamable(GraphQL.IResolveFieldContext context) =>
        throw new InvalidOperationException("The gateway streams subscriptions from subgraphs, never from its API schema.");

    protected override void OnBeforeInitializeType(IGraphType graphType)
    {
        SpecifiedDefinitions.Describe(graphType);
        switch (graphType)
        {
            case __Type type:
                type.Field<StringGraphType>("specifiedByURL").Resolve(context => (context.Source as CustomScalarGraphType)?.SpecifiedByUrl);
                foreach (var name in new[] { "fields", "interfaces", "possibleTypes", "enumValues", "inputFields", "ofType", "isOneOf" })
                {
                    MoveToEnd(type, name);
                }

                break;
            case __Directive directive:
                foreach (var name in new[] { "onOperation", "onFragment", "onField" })
                {
                    // Deprecated since the 2016 specification; graphql-js no longer has them.
                    directive.GetField(name)!.IsPrivate = true;
                }

                MoveToEnd(directive, "locations");
                var args = MoveToEnd(directive, "args");
                args.Arguments = new QueryArguments(new QueryArgument<BooleanGraphType> { Name = "includeDeprecated", DefaultValue = false });
                args.Resolver = new FuncFieldResolver<Directive, IEnumerable<QueryArgument>>(context =>
                    context.Source.Arguments?.Where(a => context.GetArgument<bool>("includeDeprecated") || string.IsNullOrWhiteSpace(a.DeprecationReason))
                    ?? []);
                break;
        }
    }

    /// <summary>
    /// graphql-dotnet offers no way to order a meta-type's fields, and clients print them in the order the server
    /// gives: a field moves to the end as a copy while the original is renamed and dropped as private at initialization.
    /// </summary>
    private static FieldType MoveToEnd(IComplexGraphType type, string name)
    {
        var original = type.GetField(name)!;
        var copy = new FieldType
        {
            Name = original.Name,
            Description = original.Description,
            DeprecationReason = original.DeprecationReason,
            DefaultValue = original.DefaultValue,
            Type = original.Type,
            ResolvedType = original.ResolvedType,
            Arguments = original.Arguments,
            Resolver = original.Resolver,
            StreamResolver = original.StreamResolver,
        };
        original.CopyMetadataTo(copy);
        original.Name = "moved_" + name;
        original.IsPrivate = true;
        type.AddField(copy);
        return copy;
    }

    private static HashSet<string> UsedTypes(GraphQLDocument document)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        void Use(IEnumerable<GraphQLInputValueDefinition>? values)
        {
            foreach (var value in values ?? [])
            {
                used.Add(TypeRefs.NamedType(value.Type));
            }
        }

        foreach (var definition in document.Definitions)
        {
            foreach (var field in (definition as IHasFieldsDefinitionNode)?.Fields?.Items ?? [])
            {
                used.Add(TypeRefs.NamedType(field.Type));
                Use(field.Arguments?.Items);
            }

            Use((definition as GraphQLInputObjectTypeDefinition)?.Fields?.Items);
        }

        return used;
    }

    private sealed class Builder(GraphQLDocument document) : SchemaBuilder
    {
        protected override GraphQL.Types.Schema CreateSchema() => new IntrospectionSchema(ServiceProvider, document);
    }
}
