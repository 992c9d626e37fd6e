using Federation.Subgraph.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Alerting.Data;

public sealed class AlertingDbContext(DbContextOptions<AlertingDbContext> options) : DbContext(options)
{
    public DbSet<Alert> Alerts => Set<Alert>();
    public DbSet<AlertRule> Rules => Set<AlertRule>();
    public DbSet<Sample> Samples => Set<Sample>();
    public DbSet<Gauge> Gauges => Set<Gauge>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Alert>(alert =>
        {
            alert.Property(a => a.RuleId).HasMaxLength(100);
            alert.Property(a => a.Subject).HasMaxLength(300);
            alert.Property(a => a.Severity).HasConversion<string>().HasMaxLength(20);
            alert.Property(a => a.Status).HasConversion<string>().HasMaxLength(20);
            alert.Property(a => a.Summary).HasMaxLength(Alert.SummaryMaxLength);
            // One unresolved alert per rule and subject: a second raise for a breach still open fails instead of flapping.
            alert.HasIndex(a => new { a.RuleId, a.Subject }).IsUnique().HasFilter("status <> 'Resolved'").HasDatabaseName("ix_alerts_open_rule_subject");
            alert.HasIndex(a => new { a.RaisedAt, a.Id });
        });

        modelBuilder.Entity<AlertRule>(rule =>
        {
            rule.ToTable("alert_rules");
            rule.Property(r => r.Id).HasMaxLength(100);
            rule.Property(r => r.Title).HasMaxLength(200);
            rule.Property(r => r.Signal).HasMaxLength(100);
            rule.Property(r => r.Aggregate).HasConversion<string>().HasMaxLength(20);
            rule.Property(r => r.Comparison).HasConversion<string>().HasMaxLength(20);
            rule.Property(r => r.Severity).HasConversion<string>().HasMaxLength(20);
        });

        modelBuilder.Entity<Sample>(sample =>
        {
            sample.Property(s => s.Signal).HasMaxLength(100);
            sample.Property(s => s.Subject).HasMaxLength(300);
            sample.HasIndex(s => new { s.Signal, s.ObservedAt });
        });

        modelBuilder.Entity<Gauge>(gauge =>
        {
            gauge.HasKey(g => new { g.Signal, g.Subject });
            gauge.Property(g => g.Signal).HasMaxLength(100);
            gauge.Property(g => g.Subject).HasMaxLength(300);
        });

        modelBuilder.AddOutbox();
        modelBuilder.AddInbox();
    }
}
