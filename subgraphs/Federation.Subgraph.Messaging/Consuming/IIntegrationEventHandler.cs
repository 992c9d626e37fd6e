using Federation.Subgraph.Messaging.Events;
using Microsoft.EntityFrameworkCore;

namespace Federation.Subgraph.Messaging.Consuming;

/// <summary>
/// Applies one event to the service's database. The consumer has already opened a transaction on
/// <paramref name="db"/> and recorded the event in the inbox; it saves and commits after this returns, so a
/// handler only changes tracked entities (or runs SQL on <paramref name="db"/>) and never commits itself.
/// Throwing rolls everything back and the message is retried, then dead-lettered.
/// </summary>
public interface IIntegrationEventHandler<in TContext, in TEvent>
    where TContext : DbContext
{
    Task HandleAsync(TContext db, TEvent data, EventEnvelope envelope, CancellationToken cancellationToken);
}
