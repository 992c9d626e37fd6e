using Accounts.Security;
using Federation.Subgraph.Seeding;
using Microsoft.EntityFrameworkCore;

namespace Accounts.Data;

/// <summary>
/// Users 1..50, the ids every other service's seed refers to: user i is user{i}@example.com with
/// the password <see cref="SeedPassword"/>, and joined before the first historical order.
/// </summary>
public static class AccountsSeed
{
    public const string SeedPassword = "Password123!";
    public static readonly DateTimeOffset FirstJoinedAt = new(2025, 1, 6, 10, 0, 0, TimeSpan.Zero);

    private static readonly string[] FirstNames =
        ["Ada", "Bruno", "Chloe", "Dmitri", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kemi", "Lars", "Maya", "Nico", "Olga", "Priya", "Quentin"];

    private static readonly string[] LastNames =
        ["Andersen", "Bianchi", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad", "Ivanova", "Jensen", "Kowalski", "Lindqvist", "Moreau"];

    public static string EmailOf(int userId) => $"user{userId}@example.com";

    // 17 and 13 are coprime, so the 50 seeded users get 50 different names.
    public static string NameOf(int userId) => $"{FirstNames[(userId - 1) % FirstNames.Length]} {LastNames[(userId - 1) % LastNames.Length]}";

    public static async Task SeedAsync(AccountsDbContext db, CancellationToken cancellationToken)
    {
        if (await db.Users.AnyAsync(cancellationToken))
            return;

        // 50 PBKDF2 hashes take about a second on one core; the pool shares that across the cores.
        var hashes = new string[SeedPlan.UserCount];
        Parallel.For(0, hashes.Length, i => hashes[i] = PasswordHasher.Hash(SeedPassword));

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Users.AddRange(Enumerable.Range(1, SeedPlan.UserCount).Select(id => new User
        {
            Id = id,
            Email = EmailOf(id),
            Name = NameOf(id),
            PasswordHash = hashes[id - 1],
            CreatedAt = FirstJoinedAt.AddDays(2 * (id - 1)).AddMinutes(37 * id),
        }));
        await db.SaveChangesAsync(cancellationToken);
        // Rows were inserted with explicit ids; move the identity sequence past them.
        await db.Database.ExecuteSqlRawAsync("SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT max(id) FROM users));", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
