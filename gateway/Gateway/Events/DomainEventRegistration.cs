namespace Federation.Gateway.Host.Events;

public static class DomainEventRegistration
{
    /// <summary>
    /// With <c>Kafka:BootstrapServers</c>: the process's one consumer of the domain topics, handing events to the entity
    /// cache's invalidation (when on) and to the <c>@kafkaSubscribe</c> subscriptions.
    /// </summary>
    public static void AddDomainEvents(this WebApplicationBuilder builder)
    {
        if (builder.Configuration["Kafka:BootstrapServers"] is not { Length: > 0 } kafka)
        {
            return;
        }

        // The engine is resolved when the consumer first asks for topics: the engine's options hold these streams.
        builder.Services.AddSingleton(sp =>
        {
            var streams = new KafkaEventStreams(kafka, () => sp.GetRequiredService<GatewayEngine>().EventStreamFields, sp.GetRequiredService<ILogger<KafkaEventStreams>>());
            streams.Observe();
            return streams;
        });
        builder.Services.AddSingleton<IDomainEventHandler>(sp => sp.GetRequiredService<KafkaEventStreams>());
        builder.Services.AddHostedService(sp => new DomainEventConsumer(
            kafka, sp.GetServices<IDomainEventHandler>(), sp.GetRequiredService<ILogger<DomainEventConsumer>>()));
    }
}
