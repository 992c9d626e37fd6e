namespace Federation.Gateway.Host.Events;

public static class DomainEventRegistration
{
    /// <summary>
    /// With <c>Kafka:BootstrapServers</c>: the process's one consumer of the domain topics, handing events to the entity
    /// cache's invalidation (when on) and to the <c>@kafkaSubscribe</c> subscriptions. <c>Kafka:FetchWaitMaxMs</c> (default
    /// 20, for the embedded mock cluster; compose and Kubernetes set 500 for real brokers) is described on <see cref="KafkaSource"/>.
    /// </summary>
    public static void AddDomainEvents(this WebApplicationBuilder builder)
    {
        if (builder.Configuration["Kafka:BootstrapServers"] is not { Length: > 0 } kafka)
        {
            return;
        }

        // An invalid Kafka:FetchWaitMaxMs fails the start-up validation (GatewaySettings) before the consumer runs.
        var settings = builder.Configuration.GetSection("Kafka").Get<EntityCache.KafkaSettings>() ?? new();
        var source = new KafkaSource(kafka, settings.ParsedFetchWaitMaxMs);

        // The engine is resolved when the consumer first asks for topics: the engine's options hold these streams.
        builder.Services.AddSingleton(sp =>
        {
            var streams = new KafkaEventStreams(source, () => sp.GetRequiredService<GatewayEngine>().EventStreamFields, sp.GetRequiredService<ILogger<KafkaEventStreams>>());
            streams.Observe();
            return streams;
        });
        builder.Services.AddSingleton<IDomainEventHandler>(sp => sp.GetRequiredService<KafkaEventStreams>());
        builder.Services.AddHostedService(sp => new DomainEventConsumer(
            source, sp.GetServices<IDomainEventHandler>(), sp.GetRequiredService<ILogger<DomainEventConsumer>>()));
    }
}
