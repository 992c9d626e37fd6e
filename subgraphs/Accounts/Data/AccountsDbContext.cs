using Microsoft.EntityFrameworkCore;

namespace Accounts.Data;

public sealed class AccountsDbContext(DbContextOptions<AccountsDbContext> options) : DbContext(options)
{
    public DbSet<User> Users => Set<User>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<User>(user =>
        {
            user.Property(u => u.Email).HasMaxLength(User.EmailMaxLength);
            user.Property(u => u.Name).HasMaxLength(User.NameMaxLength);
            user.Property(u => u.PasswordHash).HasMaxLength(200);
            // The arbiter of register's check-then-insert race: a second insert of the same email fails here.
            user.HasIndex(u => u.Email).IsUnique();
        });
    }
}
