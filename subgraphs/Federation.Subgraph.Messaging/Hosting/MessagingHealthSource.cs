using Federation.Subgraph.Health;
using Federation.Subgraph.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Federation.Subgraph.Messaging.Hosting;

/// <summary>What <c>platform { &lt;subgraph&gt; { messaging } }</c> reports: the status counters and the outbox table.</summary>
internal sealed class MessagingHealthSource<TContext>(MessagingOptions options, MessagingStatus status, IDbContextFactory<TContext> contexts)
    : IMessagingHealthSource
    where TContext : DbContext
{
    public MessagingHealth Read() => new(
        !string.IsNullOrWhiteSpace(options.BootstrapServers),
        options.EffectiveGroupId,
        [.. status.LagByPartition
            .Select(p => new PartitionLag(p.Topic, p.Partition, p.Lag))
            .OrderBy(p => p.Topic, StringComparer.Ordinal)
            .ThenBy(p => p.Partition)],
        status.DeadLetters,
        status.Published,
        status.PublishFailures,
        status.Applied,
        status.HandlerFailures,
        status.LatencyPercentile(99));

    public async Task<OutboxBacklog> ReadOutboxAsync(CancellationToken cancellationToken)
    {
        // The relay's own view is at most one batch old and one batch deep; an operator asking wants the table.
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var unsent = db.Set<OutboxMessage>().AsNoTracking().Where(m => m.SentAt == null);
        var pending = await unsent.LongCountAsync(cancellationToken);
        var oldest = await unsent.OrderBy(m => m.Sequence)
            .Select(m => new { m.OccurredAt, m.Attempts, m.LastError })
            .FirstOrDefaultAsync(cancellationToken);
        return new OutboxBacklog(pending, oldest?.OccurredAt, oldest?.Attempts ?? 0, oldest?.LastError);
    }
}
