using Federation.Subgraph.Http;
using GraphQL;
using GraphQL.DI;
using GraphQL.Types;
using GraphQL.Validation.Complexity;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Federation.Subgraph.GraphQL;

public static class SubgraphGraphQL
{
    /// <summary>
    /// graphql-dotnet with Apollo Federation v2, the shared types, the HTTP rules and the types of the
    /// calling assembly. <paramref name="configure"/> adds the subgraph's root fields and entity stubs.
    /// </summary>
    public static WebApplicationBuilder AddSubgraphGraphQL(this WebApplicationBuilder builder, Action<SubgraphGraphQLBuilder> configure)
    {
        var subgraph = new SubgraphGraphQLBuilder(builder.Services);
        configure(subgraph);
        // Every subgraph reports its own health under the shared Query.platform (docs/architecture.md, "Service health").
        subgraph.AddQueryFields<Health.PlatformQueries>();
        builder.Services.AddSingleton(new SubgraphTypes(subgraph.ExplicitTypes));
        builder.Services.AddSingleton<QueryType>();
        builder.Services.AddSingleton<MutationType>();
        // Stack traces in responses leak file paths and reach clients through the gateway; opt in when debugging.
        var exposeExceptions = builder.Configuration.GetValue<bool>("GraphQL:ExposeExceptionDetails");
        var limits = builder.Configuration.GetSection(SubgraphLimitOptions.Section).Get<SubgraphLimitOptions>() ?? new SubgraphLimitOptions();
        builder.Services.AddGraphQL(graphql => graphql
            .AddSchema<SubgraphSchema>()
            .AddSystemTextJson(json =>
            {
                // Plain UTF-8 like other GraphQL servers, not HTML-safe \u0026 escapes.
                json.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
            })
            .AddFederation(DemandControlDirectives.FederationVersion, link =>
            {
                AuthorizationDirectives.Import(link);
                DemandControlDirectives.Import(link);
            })
            .ConfigureSchema((schema, _) =>
            {
                AuthorizationDirectives.Define(schema);
                DemandControlDirectives.Define(schema);
            })
            .AddGraphTypes(typeof(SubgraphGraphQL).Assembly)
            .AddGraphTypes(subgraph.Assembly)
            .AddValidationRule<QueryOnlyOverGetRule>(useForCachedDocuments: true)
            .ConfigureExecution<ParsedDocumentCache>()
            .ConfigureExecution(new OperationLimitsExecution(limits))
            .AddComplexityAnalyzer(complexity =>
            {
                complexity.MaxComplexity = limits.MaxComplexity > 0 ? limits.MaxComplexity : null;
                // Introspection is bounded by the limits above; it costs nothing here.
                var byArguments = complexity.DefaultComplexityImpactDelegate;
                complexity.DefaultComplexityImpactDelegate = field =>
                    field.FieldDefinition.Name.StartsWith("__", StringComparison.Ordinal) || field.ParentType.Name.StartsWith("__", StringComparison.Ordinal)
                        ? new FieldComplexityResult(0, 1)
                        : byArguments(field);
            })
            .AddErrorInfoProvider(options =>
            {
                options.ExposeExceptionDetails = exposeExceptions;
                options.ExposeCode = true;
            })
            .ConfigureExecutionOptions(options => options.ThrowOnUnhandledException = false));
        return builder;
    }
}

public sealed class SubgraphGraphQLBuilder(IServiceCollection services)
{
    internal List<Type> ExplicitTypes { get; } = [];

    internal System.Reflection.Assembly Assembly { get; private set; } = System.Reflection.Assembly.GetEntryAssembly()!;

    public SubgraphGraphQLBuilder FromAssemblyOf<T>()
    {
        Assembly = typeof(T).Assembly;
        return this;
    }

    public SubgraphGraphQLBuilder AddQueryFields<T>() where T : class, IQueryFields
    {
        services.AddSingleton<IQueryFields, T>();
        return this;
    }

    public SubgraphGraphQLBuilder AddMutationFields<T>() where T : class, IMutationFields
    {
        services.AddSingleton<IMutationFields, T>();
        return this;
    }

    /// <summary>Registers a type no root field reaches, such as an entity only <c>_entities</c> returns.</summary>
    public SubgraphGraphQLBuilder AddType<T>() where T : IGraphType
    {
        ExplicitTypes.Add(typeof(T));
        return this;
    }

    public SubgraphGraphQLBuilder AddDataLoader<T>() where T : class
    {
        services.AddScoped<T>();
        return this;
    }
}
