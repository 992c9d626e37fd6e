using Federation.Subgraph.Messaging;
using Microsoft.EntityFrameworkCore;

namespace MessagingProbe;

/// <summary>
/// The probe's whole domain: accounts whose balance is the sum of their entries. The publisher applies an
/// entry and stages its event in one transaction; a consumer applies the event to its own copy, so the two
/// databases agree exactly when every event was applied once.
/// </summary>
public sealed class LedgerDbContext(DbContextOptions<LedgerDbContext> options) : DbContext(options)
{
    public DbSet<Account> Accounts => Set<Account>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Account>(account =>
        {
            account.ToTable("accounts");
            account.HasKey(a => a.Id);
            account.Property(a => a.Id).HasColumnName("id");
            account.Property(a => a.Balance).HasColumnName("balance");
            account.Property(a => a.Entries).HasColumnName("entries");
            account.Property(a => a.LastSequence).HasColumnName("last_sequence");
            account.Property(a => a.OutOfOrder).HasColumnName("out_of_order");
        });
        modelBuilder.AddOutbox();
        modelBuilder.AddInbox();
    }
}

public sealed class Account
{
    public string Id { get; set; } = "";
    public long Balance { get; set; }
    public int Entries { get; set; }

    /// <summary>Per-account sequence of the last entry applied; entries of one key must arrive in order.</summary>
    public int LastSequence { get; set; }
    public int OutOfOrder { get; set; }

    public void Apply(long amount, int sequence)
    {
        Balance += amount;
        Entries++;
        if (sequence != LastSequence + 1)
            OutOfOrder++;
        LastSequence = sequence;
    }
}
