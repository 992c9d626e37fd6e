using System.Security.Cryptography;
using System.Text;
using Federation.Subgraph.Messaging.Events;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Federation.Subgraph.Messaging.Consuming;

/// <summary>
/// Which handler applies which (topic, event type); events of other types on a subscribed topic are skipped. A topic
/// read as raw messages (<see cref="AddMessages{THandler}"/>) hands every message to one handler, envelope or not.
/// </summary>
public sealed class EventSubscriptions<TContext>
    where TContext : DbContext
{
    private readonly Dictionary<(string Topic, string Type), Func<IServiceProvider, TContext, EventEnvelope, CancellationToken, Task>> handlers = [];
    private readonly Dictionary<string, Func<IServiceProvider, TContext, KafkaMessage, CancellationToken, Task>> messageHandlers = [];

    public IReadOnlyCollection<string> Topics => handlers.Keys.Select(k => k.Topic).Concat(messageHandlers.Keys).Distinct().ToList();

    public bool IsEmpty => handlers.Count == 0 && messageHandlers.Count == 0;

    internal void Add<TEvent, THandler>(string topic, string eventType)
        where THandler : IIntegrationEventHandler<TContext, TEvent>
    {
        if (messageHandlers.ContainsKey(topic) || !handlers.TryAdd((topic, eventType), (services, db, envelope, cancellationToken) =>
                services.GetRequiredService<THandler>().HandleAsync(db, envelope.DataAs<TEvent>(), envelope, cancellationToken)))
        {
            throw new InvalidOperationException($"{eventType} on {topic} already has a handler.");
        }
    }

    internal void AddMessages<THandler>(string topic)
        where THandler : IKafkaMessageHandler<TContext>
    {
        if (handlers.Keys.Any(k => k.Topic == topic) || !messageHandlers.TryAdd(topic, (services, db, message, cancellationToken) =>
                services.GetRequiredService<THandler>().HandleAsync(db, message, cancellationToken)))
        {
            throw new InvalidOperationException($"{topic} already has a handler.");
        }
    }

    internal Func<IServiceProvider, TContext, EventEnvelope, CancellationToken, Task>? Find(string topic, string eventType) =>
        handlers.GetValueOrDefault((topic, eventType));

    internal Func<IServiceProvider, TContext, KafkaMessage, CancellationToken, Task>? FindMessages(string topic) =>
        messageHandlers.GetValueOrDefault(topic);
}

/// <summary>One Kafka message as it was read, whatever its value: what a dead-letter topic holds.</summary>
public sealed record KafkaMessage(string Topic, int Partition, long Offset, string? Key, IReadOnlyDictionary<string, string> Headers, byte[] Value, DateTimeOffset Timestamp)
{
    /// <summary>
    /// The inbox id of this message: derived from its position, which is its identity on its topic. The envelope id
    /// inside a dead-lettered copy is the original event's, which the service may already have applied from the source topic.
    /// </summary>
    public Guid InboxId
    {
        get
        {
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{Topic}/{Partition}/{Offset}"));
            return new Guid(hash.AsSpan(0, 16));
        }
    }
}
