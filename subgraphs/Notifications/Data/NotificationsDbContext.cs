using Federation.Subgraph.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Notifications.Data;

public sealed class NotificationsDbContext(DbContextOptions<NotificationsDbContext> options) : DbContext(options)
{
    public DbSet<Notification> Notifications => Set<Notification>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Notification>(notification =>
        {
            notification.Property(n => n.Kind).HasConversion<string>().HasMaxLength(40);
            notification.Property(n => n.Message).HasMaxLength(Notification.MessageMaxLength);
            // User.notifications pages newest first per user.
            notification.HasIndex(n => new { n.UserId, n.CreatedAt, n.Id });
            // notificationFeed pages every user's notifications newest first.
            notification.HasIndex(n => new { n.CreatedAt, n.Id });
        });

        modelBuilder.AddOutbox();
        modelBuilder.AddInbox();
    }
}
