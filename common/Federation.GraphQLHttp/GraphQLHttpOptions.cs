using Microsoft.Extensions.DependencyInjection;

namespace Federation.GraphQLHttp;

/// <summary>Limits of the GraphQL-over-HTTP layer, bound from <c>GraphQL:Http</c> by the gateway and every subgraph.</summary>
public sealed class GraphQLHttpOptions
{
    public const string Section = "GraphQL:Http";

    /// <summary>Largest accepted request body in bytes; larger requests get 413.</summary>
    public long MaxRequestBytes { get; set; } = 1024 * 1024;
}

public static class GraphQLHttpOptionsExtensions
{
    /// <summary>Binds <see cref="GraphQLHttpOptions"/> from <c>GraphQL:Http</c>; a bad value stops the host at start-up.</summary>
    public static IServiceCollection AddGraphQLHttpOptions(this IServiceCollection services)
    {
        services.AddOptions<GraphQLHttpOptions>()
            .BindConfiguration(GraphQLHttpOptions.Section)
            .Validate(o => o.MaxRequestBytes > 0, $"{GraphQLHttpOptions.Section}:MaxRequestBytes must be a positive number of bytes.")
            .ValidateOnStart();
        return services;
    }
}
