using Federation.Subgraph.Messaging.Consuming;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Federation.Subgraph.Messaging.Hosting;

/// <summary>What a service consumes; publishing needs no registration beyond <c>Outbox.Add</c>.</summary>
public sealed class MessagingBuilder<TContext>(IServiceCollection services, EventSubscriptions<TContext> subscriptions)
    where TContext : DbContext
{
    /// <summary>Applies <paramref name="eventType"/> events from <paramref name="topic"/> with <typeparamref name="THandler"/>, read into the consumer's own <typeparamref name="TEvent"/>.</summary>
    public MessagingBuilder<TContext> Consume<TEvent, THandler>(string topic, string eventType)
        where THandler : class, IIntegrationEventHandler<TContext, TEvent>
    {
        services.TryAddScoped<THandler>();
        subscriptions.Add<TEvent, THandler>(topic, eventType);
        return this;
    }

    /// <summary>Hands every message of <paramref name="topic"/> to <typeparamref name="THandler"/> as it was read, such as a dead-letter topic's.</summary>
    public MessagingBuilder<TContext> ConsumeMessages<THandler>(string topic)
        where THandler : class, IKafkaMessageHandler<TContext>
    {
        services.TryAddScoped<THandler>();
        subscriptions.AddMessages<THandler>(topic);
        return this;
    }
}
