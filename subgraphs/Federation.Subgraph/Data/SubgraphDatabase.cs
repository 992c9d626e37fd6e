using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Federation.Subgraph.Data;

public static class SubgraphDatabase
{
    /// <summary>
    /// Registers a pooled <see cref="IDbContextFactory{TContext}"/> on the connection string
    /// <c>ConnectionStrings:{connectionName}</c>, migrations (and the optional seed) on start,
    /// and a readiness check. Resolvers create short-lived contexts from the factory because
    /// graphql-dotnet resolves sibling fields in parallel and a DbContext is not thread-safe.
    /// </summary>
    public static WebApplicationBuilder AddSubgraphDatabase<TContext>(
        this WebApplicationBuilder builder,
        string connectionName,
        Func<TContext, CancellationToken, Task>? seed = null)
        where TContext : DbContext
    {
        var connectionString = builder.Configuration.GetConnectionString(connectionName);
        builder.Services.AddPooledDbContextFactory<TContext>(options => Configure(options, connectionString));
        builder.Services.AddSingleton<IDatabaseInitializer>(new DatabaseInitializer<TContext>(connectionName, connectionString, seed));
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck<TContext>>($"database:{connectionName}");
        return builder;
    }

    internal static void Configure(DbContextOptionsBuilder options, string? connectionString)
    {
        // Without a connection string the model still builds, which is all `schema print`
        // and `migrations add` need; serving fails fast in DatabaseInitializer instead.
        if (connectionString is null)
            options.UseNpgsql();
        else
            options.UseNpgsql(connectionString, npgsql => npgsql.ConfigureDataSource(source => source.ConfigureTracing(tracing =>
                // Statements outside any request or event (the outbox relay's polling, health probes) would each start a
                // trace of their own every few hundred milliseconds; statements inside one are part of that trace.
                tracing.ConfigureCommandFilter(_ => Activity.Current is not null)
                    .ConfigureBatchFilter(_ => Activity.Current is not null))));
        options.UseSnakeCaseNamingConvention();
    }
}

public interface IDatabaseInitializer
{
    Task InitializeAsync(IServiceProvider services, CancellationToken cancellationToken);

    DbContext CreateDesignTimeContext(IServiceProvider services);
}

internal sealed class DatabaseInitializer<TContext>(
    string connectionName,
    string? connectionString,
    Func<TContext, CancellationToken, Task>? seed) : IDatabaseInitializer
    where TContext : DbContext
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Advisory locks are per database, so one key serves every service.</summary>
    private const long InitializeLockId = 0x6D696772617465; // "migrate"

    public async Task InitializeAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new InvalidOperationException($"ConnectionStrings:{connectionName} is not configured (environment variable ConnectionStrings__{connectionName}).");

        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Federation.Subgraph.Database");
        await WaitForServerAsync(logger, cancellationToken);

        // Replicas starting together on a fresh database take turns: EF Core's migration lock covers migrating, not the
        // seed, and two seeds racing each inserted the same rows (the second replica crashed on the primary key). The
        // connection is unpooled: a pooled one keeps its session, and with it the lock, after it is closed. A replica
        // that dies while migrating loses its session and so the lock.
        await using var gate = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await gate.OpenAsync(cancellationToken);
        // The wait is another replica's whole migration and seed, longer than a statement's 30 s on a loaded machine.
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({InitializeLockId})", gate) { CommandTimeout = 600 })
            await take.ExecuteNonQueryAsync(cancellationToken);

        var factory = services.GetRequiredService<IDbContextFactory<TContext>>();
        await using var context = await factory.CreateDbContextAsync(cancellationToken);
        await context.Database.MigrateAsync(cancellationToken);
        if (seed is not null)
            await seed(context, cancellationToken);
        logger.LogInformation("Database {Database} migrated", context.Database.GetDbConnection().Database);
    }

    public DbContext CreateDesignTimeContext(IServiceProvider services) =>
        services.GetRequiredService<IDbContextFactory<TContext>>().CreateDbContext();

    private async Task WaitForServerAsync(ILogger logger, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + ConnectTimeout;
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(cancellationToken);
                return;
            }
            catch (NpgsqlException ex) when (DateTime.UtcNow < deadline && !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("PostgreSQL not reachable yet ({Reason}); retrying", ex.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
            }
        }
    }
}

internal sealed class DatabaseHealthCheck<TContext>(IDbContextFactory<TContext> factory) : IHealthCheck
    where TContext : DbContext
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            return await db.Database.CanConnectAsync(cancellationToken)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("The database is not reachable.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The database is not reachable.", ex);
        }
    }
}
