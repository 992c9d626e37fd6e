using Federation.Subgraph.Messaging.Consuming;
using Federation.Subgraph.Messaging.Events;

namespace MessagingProbe;

/// <param name="Sequence">Position among the account's entries (1-based); 0 for a poison entry.</param>
/// <param name="Poison">The consumer's handler always throws for it, to exercise retries and the dead-letter topic.</param>
public sealed record LedgerEntryPosted(string Account, long Amount, int Sequence, bool Poison) : IIntegrationEvent
{
    public static string EventType => nameof(LedgerEntryPosted);
    public static int SchemaVersion => 1;
}

public sealed class LedgerEntryPostedHandler : IIntegrationEventHandler<LedgerDbContext, LedgerEntryPosted>
{
    public async Task HandleAsync(LedgerDbContext db, LedgerEntryPosted data, EventEnvelope envelope, CancellationToken cancellationToken)
    {
        if (data.Poison)
            throw new InvalidOperationException($"Entry {envelope.Id} is poison.");

        var account = await db.Accounts.FindAsync([data.Account], cancellationToken);
        if (account is null)
        {
            account = new Account { Id = data.Account };
            db.Accounts.Add(account);
        }

        account.Apply(data.Amount, data.Sequence);
    }
}
