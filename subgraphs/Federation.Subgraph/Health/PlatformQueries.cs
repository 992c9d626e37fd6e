using System.Diagnostics;
using Federation.Subgraph.GraphQL;
using Federation.Subgraph.Hosting;
using Federation.Subgraph.Security;
using GraphQL;
using GraphQL.Federation;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Federation.Subgraph.Health;

/// <summary>
/// <c>Query.platform</c>, shareable: every subgraph resolves it and adds one field named after itself to
/// <c>Platform</c>, so the gateway asks each subgraph about itself alone, in parallel, and a subgraph that does not
/// answer is a null field with the gateway's error naming it (<c>extensions.serviceName</c>), like any failed fetch.
/// </summary>
public sealed class PlatformQueries : IQueryFields
{
    public void AddFields(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<PlatformType>>("platform")
            .Description("The subgraphs' health and messaging, for operators; one field per subgraph.")
            .RequiresScopes([Access.AdminScope])
            .Shareable()
            .Resolve(ctx =>
            {
                ctx.RequireAdmin();
                return Platform.Instance;
            });
    }
}

/// <summary>The value <c>Query.platform</c> resolves to; its fields read the process itself.</summary>
public sealed class Platform
{
    public static readonly Platform Instance = new();

    private Platform()
    {
    }
}

public sealed class PlatformType : ObjectGraphType<Platform>
{
    private static readonly string InstanceName = $"{Environment.MachineName}/{Environment.ProcessId}";
    private static readonly DateTimeOffset StartedAt = Process.GetCurrentProcess().StartTime.ToUniversalTime();

    public PlatformType(SubgraphIdentity identity)
    {
        Name = "Platform";
        Description = "The platform's subgraphs; each field is answered by that subgraph, null when it fails.";
        Field<ServiceHealthType>(identity.Name)
            .Description($"The {identity.Name} subgraph's health.")
            .ResolveAsync(async ctx =>
            {
                var report = await ctx.RequestServices!.GetRequiredService<HealthCheckService>().CheckHealthAsync(ctx.CancellationToken);
                return new ServiceHealth(
                    identity.Name,
                    InstanceName,
                    StartedAt,
                    DateTimeOffset.UtcNow,
                    report.Status,
                    [.. report.Entries.Select(entry => new HealthCheckEntry(entry.Key, entry.Value.Status, entry.Value.Description, entry.Value.Duration.TotalMilliseconds))]);
            });
    }
}
