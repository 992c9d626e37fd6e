using Federation.Subgraph.GraphQL;
using Microsoft.EntityFrameworkCore;

namespace Accounts.Data;

public sealed class AccountsDbContext(DbContextOptions<AccountsDbContext> options) : DbContext(options)
{
    public DbSet<User> Users => Set<User>();
    public DbSet<RefreshToken> RefreshTokens => Set<RefreshToken>();
    public DbSet<Address> Addresses => Set<Address>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<User>(user =>
        {
            user.Property(u => u.Email).HasMaxLength(User.EmailMaxLength);
            user.Property(u => u.Name).HasMaxLength(User.NameMaxLength);
            user.Property(u => u.PasswordHash).HasMaxLength(200);
            user.Property(u => u.Role).HasConversion<string>().HasMaxLength(20).HasDefaultValue(UserRole.Shopper).HasSentinel(UserRole.Shopper);
            // The arbiter of register's check-then-insert race: a second insert of the same email fails here.
            user.HasIndex(u => u.Email).IsUnique();
        });

        modelBuilder.Entity<RefreshToken>(token =>
        {
            token.Property(t => t.TokenHash).HasMaxLength(RefreshToken.HashSize);
            token.HasIndex(t => t.TokenHash).IsUnique();
            token.HasIndex(t => t.FamilyId);
            token.HasOne(t => t.User).WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<Address>(address =>
        {
            address.Property(a => a.Name).HasMaxLength(PostalAddress.NameMaxLength);
            address.Property(a => a.Line1).HasMaxLength(PostalAddress.LineMaxLength);
            address.Property(a => a.Line2).HasMaxLength(PostalAddress.LineMaxLength);
            address.Property(a => a.City).HasMaxLength(PostalAddress.CityMaxLength);
            address.Property(a => a.Region).HasMaxLength(PostalAddress.RegionMaxLength);
            address.Property(a => a.PostalCode).HasMaxLength(PostalAddress.PostalCodeMaxLength);
            address.Property(a => a.Country).HasMaxLength(2).IsFixedLength();
            address.HasIndex(a => a.UserId);
            address.HasOne<User>().WithMany().HasForeignKey(a => a.UserId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
