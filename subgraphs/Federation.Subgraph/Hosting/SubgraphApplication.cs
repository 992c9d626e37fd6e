using Federation.Subgraph.Data;
using Federation.Subgraph.Http;
using Federation.Subgraph.Security;
using Federation.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Federation.Subgraph.Hosting;

/// <summary>
/// The shared frame of every subgraph process: builder defaults, the endpoints every subgraph maps,
/// and the command line (<c>schema print</c>, <c>migrations add</c>) that works without a database.
/// </summary>
public static class SubgraphApplication
{
    internal const string LiveTag = "live";
    internal const string ReadyTag = "ready";

    public static WebApplicationBuilder CreateBuilder(string[] args, string subgraphName)
    {
        var command = SubgraphCommand.Parse(args);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = command.HostArgs });
        builder.Services.AddSingleton(new SubgraphIdentity(subgraphName));
        builder.Services.AddSingleton(command);
        builder.Services.AddGraphQLHttpEndpoint();
        builder.Services.AddGatewayTokenAuthentication(builder.Configuration);
        builder.Services.AddHealthChecks().AddCheck("process", () => HealthCheckResult.Healthy(), tags: [LiveTag]);
        if (command.Kind == SubgraphCommandKind.Serve)
        {
            builder.AddFederationTelemetry(subgraphName, traces => traces.AddNpgsql(), meters => meters.AddNpgsqlInstrumentation());
        }
        else
        {
            // CLI commands write their result to stdout; keep the host's own logging out of it.
            builder.Logging.ClearProviders();
        }
        return builder;
    }

    public static WebApplication MapSubgraph(this WebApplication app)
    {
        // Only the gateway may ask: root fields, _entities and _service alike. Health and metrics stay open for orchestrators and scrapers.
        app.MapGraphQLHttp("/graphql").RequireAuthorization(GatewayTokenAuthentication.Policy);
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = check => check.Tags.Contains(LiveTag) });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions());
        if (app.Services.GetRequiredService<SubgraphCommand>().Kind == SubgraphCommandKind.Serve)
        {
            app.MapFederationMetrics();
        }
        return app;
    }

    /// <summary>Runs the command line, or migrates the databases and serves until shutdown.</summary>
    public static async Task<int> RunSubgraphAsync(this WebApplication app)
    {
        var command = app.Services.GetRequiredService<SubgraphCommand>();
        switch (command.Kind)
        {
            case SubgraphCommandKind.PrintSchema:
                await Console.Out.WriteAsync(await SchemaPrinter.PrintAsync(app.Services));
                return 0;
            case SubgraphCommandKind.AddMigration:
                return MigrationScaffolder.AddMigration(app.Services, command.Argument!);
            case SubgraphCommandKind.Usage:
                await Console.Error.WriteLineAsync(SubgraphCommand.UsageText(command.Argument));
                return 2;
        }

        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        foreach (var initializer in app.Services.GetServices<IDatabaseInitializer>())
            await initializer.InitializeAsync(app.Services, lifetime.ApplicationStopping);
        await app.RunAsync();
        return 0;
    }
}

public sealed record SubgraphIdentity(string Name);
