using Microsoft.EntityFrameworkCore;

namespace Federation.Subgraph.Messaging.Consuming;

/// <summary>
/// Applies every message of a topic read as raw messages (a dead-letter topic holds whatever failed, envelope or not),
/// under the same transaction, inbox and commit rules as <see cref="IIntegrationEventHandler{TContext, TEvent}"/>.
/// </summary>
public interface IKafkaMessageHandler<in TContext>
    where TContext : DbContext
{
    Task HandleAsync(TContext db, KafkaMessage message, CancellationToken cancellationToken);
}
