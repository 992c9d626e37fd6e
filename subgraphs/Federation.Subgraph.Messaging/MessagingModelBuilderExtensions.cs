using Federation.Subgraph.Messaging.Inbox;
using Federation.Subgraph.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Federation.Subgraph.Messaging;

/// <summary>
/// Adds the outbox and inbox tables to a service's own model, so its next migration creates them.
/// Names are explicit because the relay and the consumer address them in SQL whatever naming convention the context uses.
/// </summary>
public static class MessagingModelBuilderExtensions
{
    public const string OutboxTable = "outbox_messages";
    public const string InboxTable = "inbox_messages";

    public static ModelBuilder AddOutbox(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<OutboxMessage>(outbox =>
        {
            outbox.ToTable(OutboxTable);
            outbox.HasKey(m => m.Sequence);
            outbox.Property(m => m.Sequence).HasColumnName("sequence").ValueGeneratedOnAdd();
            outbox.Property(m => m.EventId).HasColumnName("event_id");
            outbox.Property(m => m.Topic).HasColumnName("topic").HasMaxLength(249);
            outbox.Property(m => m.Key).HasColumnName("key").HasMaxLength(200);
            outbox.Property(m => m.Type).HasColumnName("type").HasMaxLength(200);
            outbox.Property(m => m.SchemaVersion).HasColumnName("schema_version");
            outbox.Property(m => m.Subject).HasColumnName("subject").HasMaxLength(200);
            outbox.Property(m => m.OccurredAt).HasColumnName("occurred_at");
            outbox.Property(m => m.Data).HasColumnName("data").HasColumnType("jsonb");
            outbox.Property(m => m.TraceParent).HasColumnName("trace_parent").HasMaxLength(55);
            outbox.Property(m => m.SentAt).HasColumnName("sent_at");
            outbox.Property(m => m.Attempts).HasColumnName("attempts");
            outbox.Property(m => m.LastError).HasColumnName("last_error");
            outbox.HasIndex(m => m.EventId).IsUnique();
            // The relay only ever scans unsent rows; a partial index keeps that scan small as sent rows pile up.
            outbox.HasIndex(m => m.Sequence).HasDatabaseName("ix_outbox_messages_unsent").HasFilter("sent_at IS NULL");
        });
        return modelBuilder;
    }

    public static ModelBuilder AddInbox(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<InboxMessage>(inbox =>
        {
            inbox.ToTable(InboxTable);
            inbox.HasKey(m => m.EventId);
            inbox.Property(m => m.EventId).HasColumnName("event_id");
            inbox.Property(m => m.Topic).HasColumnName("topic").HasMaxLength(249);
            inbox.Property(m => m.Type).HasColumnName("type").HasMaxLength(200);
            inbox.Property(m => m.ProcessedAt).HasColumnName("processed_at");
        });
        return modelBuilder;
    }
}
