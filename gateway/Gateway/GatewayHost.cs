using Federation.Gateway.Host.EntityCache;
using Federation.Gateway.Host.Events;
using Federation.GraphQLHttp;
using Federation.Security;
using Federation.Telemetry;
using Microsoft.Extensions.Options;

namespace Federation.Gateway.Host;

/// <summary>Builds the gateway web application; tests use it with their own subgraph transport.</summary>
public static class GatewayHost
{
    /// <param name="configure">Runs after the configuration keys are applied (tests set their subgraph transport here).</param>
    public static WebApplication Create(string[] args, Action<GatewayOptions>? configure = null)
    {
        // appsettings.json ships beside the assembly (logging levels among others), whatever directory the gateway starts in.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        var supergraphPath = Path.GetFullPath(builder.Configuration["supergraph"] ?? "schema/supergraph.graphql");
        var supergraphSdl = File.ReadAllText(supergraphPath);

        // ValidateOnStart enrols the settings with the start-up validator, which Create runs at once (ValidateSettings).
        builder.Services.AddOptions<GatewaySettings>().Bind(builder.Configuration).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<GatewaySettings>, GatewaySettingsValidator>();
        var signs = !string.IsNullOrEmpty(builder.Configuration["InternalTokens:KeysPath"]);
        if (signs)
        {
            builder.Services.AddSingleton<InternalTokenKeys>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<InternalTokenKeys>());
        }

        // One multiplexer for the process (StackExchange.Redis multiplexes every caller over it).
        if (builder.Configuration.GetConnectionString("Redis") is { Length: > 0 } redis)
        {
            builder.Services.AddSingleton(_ => RedisPersistedDocuments.Connect(redis));
        }

        builder.AddEntityCache();
        builder.AddDomainEvents();

        builder.Services.AddOptions<GatewayOptions>()
            .Configure<IOptions<GatewaySettings>>((options, settings) => settings.Value.ApplyTo(options))
            .Configure<IServiceProvider>((options, services) =>
            {
                if (services.GetService<StackExchange.Redis.IConnectionMultiplexer>() is { } multiplexer)
                {
                    options.PersistedDocumentStore = new RedisPersistedDocuments(
                        multiplexer,
                        services.GetRequiredService<IOptions<GatewaySettings>>().Value.PersistedDocuments.ParsedTtl,
                        services.GetRequiredService<ILogger<RedisPersistedDocuments>>());
                }

                options.EntityCache.Store = services.GetService<EntityCache.RedisEntityCache>();
                options.EventStreams = services.GetService<Events.KafkaEventStreams>();
                if (services.GetService<InternalTokenKeys>() is { } keys)
                {
                    options.InternalTokens = new Federation.Security.InternalTokenIssuer(() => keys.Ring, options.TimeProvider);
                }
            })
            .PostConfigure(options => configure?.Invoke(options));
        builder.Services.AddGraphQLHttpOptions();
        builder.AddFederationTelemetry("gateway");
        builder.Services.AddBearerAuthentication();

        builder.Services.AddSingleton(sp => new GatewayEngine(
            supergraphSdl,
            sp.GetRequiredService<IOptions<GatewayOptions>>().Value,
            loggerFactory: sp.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddHostedService(sp => new SupergraphWatcher(
            supergraphPath,
            sp.GetRequiredService<GatewayEngine>(),
            sp.GetRequiredService<ILogger<SupergraphWatcher>>()));

        builder.Services.AddSingleton(new IdeLocation(BananaCakePop.Locate(builder.Configuration["BananaCakePop:Path"])));

        builder.Services.AddSingleton<SharedExecutions>();
        builder.Services.AddSingleton<Subscriptions.SubscriptionConnections>();

        var app = builder.Build();
        try
        {
            ValidateSettings(app.Services);
        }
        catch
        {
            ((IDisposable)app).Dispose();
            throw;
        }

        if (!signs)
        {
            InternalTokenKeys.LogUnsigned(app.Services.GetRequiredService<ILogger<InternalTokenKeys>>());
        }

        app.UseTrustedForwardedFor(app.Configuration);
        app.UseWebSockets(new WebSocketOptions
        {
            KeepAliveInterval = app.Services.GetRequiredService<IOptions<GatewaySettings>>().Value.Subscriptions.ParsedKeepAliveInterval,
        });
        app.MapBananaCakePop("/graphql");
        app.MapGraphQLEndpoint("/graphql");
        app.MapEntityCacheAdmin();
        app.MapGet("/health/live", () => Results.Text("Healthy"));
        app.MapFederationMetrics();
        return app;
    }

    /// <summary>A bad setting fails where the host is built, every failing key named in one message.</summary>
    private static void ValidateSettings(IServiceProvider services)
    {
        try
        {
            services.GetRequiredService<IStartupValidator>().Validate();
        }
        catch (Exception e) when (e is OptionsValidationException or AggregateException)
        {
            var failures = e is AggregateException aggregate
                ? aggregate.InnerExceptions.OfType<OptionsValidationException>().SelectMany(f => f.Failures)
                : ((OptionsValidationException)e).Failures;
            throw new InvalidOperationException(string.Join(" ", failures), e);
        }
    }
}
