using Federation.Subgraph.Health;
using Federation.Subgraph.Messaging.Consuming;
using Federation.Subgraph.Messaging.Outbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Federation.Subgraph.Messaging.Hosting;

public static class MessagingRegistration
{
    public const string HealthCheckName = "messaging";
    public const string HealthPath = "/health/messaging";

    /// <summary>
    /// Outbox relay and consumer host for <typeparamref name="TContext"/>, which must call
    /// <c>AddOutbox()</c>/<c>AddInbox()</c> in its model. Without <c>Kafka:BootstrapServers</c> nothing
    /// connects to Kafka (so <c>schema print</c> and <c>migrations add</c> run anywhere) and events wait in the outbox.
    /// </summary>
    public static IHostApplicationBuilder AddSubgraphMessaging<TContext>(
        this IHostApplicationBuilder builder,
        string service,
        Action<MessagingBuilder<TContext>>? configure = null)
        where TContext : DbContext
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        var options = new MessagingOptions();
        builder.Configuration.GetSection(MessagingOptions.Section).Bind(options);
        options.Service = service;
        options.BootstrapServers = builder.Configuration[$"{KafkaOptions.Section}:{nameof(KafkaOptions.BootstrapServers)}"];

        var subscriptions = new EventSubscriptions<TContext>();
        configure?.Invoke(new MessagingBuilder<TContext>(builder.Services, subscriptions));

        var signal = new OutboxSignal();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(signal);
        builder.Services.AddSingleton<MessagingStatus>();
        builder.Services.AddSingleton<IMessagingHealthSource, MessagingHealthSource<TContext>>();
        builder.Services.AddSingleton(subscriptions);
        // Pooled context options are singletons, so the configuration that adds the interceptor must be one too.
        builder.Services.ConfigureDbContext<TContext>(
            db => db.AddInterceptors(new OutboxSignalInterceptor(signal)),
            ServiceLifetime.Singleton);
        builder.Services.AddHealthChecks().AddCheck<MessagingHealthCheck>(HealthCheckName);

        if (!string.IsNullOrWhiteSpace(options.BootstrapServers))
        {
            if (options.Relay.Enabled)
                builder.Services.AddHostedService<OutboxRelay<TContext>>();
            if (options.Consumer.Enabled && !subscriptions.IsEmpty)
                builder.Services.AddHostedService<ConsumerHost<TContext>>();
        }

        return builder;
    }

    /// <summary>Maps <c>/health/messaging</c>: counters, outbox backlog and consumer lag per partition as JSON.</summary>
    public static IEndpointRouteBuilder MapSubgraphMessaging(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks(HealthPath, new HealthCheckOptions
        {
            Predicate = check => check.Name == HealthCheckName,
            ResponseWriter = (context, report) =>
            {
                var entry = report.Entries[HealthCheckName];
                return context.Response.WriteAsJsonAsync(new
                {
                    status = entry.Status.ToString(),
                    description = entry.Description,
                    data = entry.Data,
                });
            },
        });
        return endpoints;
    }
}
