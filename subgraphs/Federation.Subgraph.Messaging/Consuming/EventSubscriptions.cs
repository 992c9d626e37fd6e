using Federation.Subgraph.Messaging.Events;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Federation.Subgraph.Messaging.Consuming;

/// <summary>Which handler applies which (topic, event type); events of other types on a subscribed topic are skipped.</summary>
public sealed class EventSubscriptions<TContext>
    where TContext : DbContext
{
    private readonly Dictionary<(string Topic, string Type), Func<IServiceProvider, TContext, EventEnvelope, CancellationToken, Task>> handlers = [];

    public IReadOnlyCollection<string> Topics => handlers.Keys.Select(k => k.Topic).Distinct().ToList();

    public bool IsEmpty => handlers.Count == 0;

    internal void Add<TEvent, THandler>(string topic, string eventType)
        where THandler : IIntegrationEventHandler<TContext, TEvent>
    {
        if (!handlers.TryAdd((topic, eventType), (services, db, envelope, cancellationToken) =>
                services.GetRequiredService<THandler>().HandleAsync(db, envelope.DataAs<TEvent>(), envelope, cancellationToken)))
        {
            throw new InvalidOperationException($"{eventType} on {topic} already has a handler.");
        }
    }

    internal Func<IServiceProvider, TContext, EventEnvelope, CancellationToken, Task>? Find(string topic, string eventType) =>
        handlers.GetValueOrDefault((topic, eventType));
}
