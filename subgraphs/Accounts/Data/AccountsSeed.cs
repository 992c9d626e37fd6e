using Accounts.Security;
using Federation.Subgraph.Seeding;
using Microsoft.EntityFrameworkCore;

namespace Accounts.Data;

/// <summary>
/// Users 1..50, the ids every other service's seed refers to, user i being user{i}@example.com and joined
/// before the first historical order. None of them can sign in, except with <c>Accounts:DemoAccounts</c>
/// (set by <c>./federation up</c>, compose and the tests, never by default): then user 1 is the demo shopper
/// and user 51 the demo admin, with the passwords below, which README.md documents.
/// </summary>
public static class AccountsSeed
{
    public const string DemoShopperEmail = "user1@example.com";
    public const string DemoShopperPassword = "Shopper123!";
    public const string DemoAdminEmail = "admin@example.com";
    public const string DemoAdminPassword = "Admin123!";
    public const int DemoAdminId = SeedPlan.UserCount + 1;
    /// <summary>The first user's join date as written; moved with the rest of the seeded history (<see cref="SeedClock"/>).</summary>
    public static readonly DateTimeOffset FixedFirstJoinedAt = new(2025, 1, 6, 10, 0, 0, TimeSpan.Zero);

    public static DateTimeOffset FirstJoinedAt => SeedClock.Shift(FixedFirstJoinedAt);

    private static readonly string[] FirstNames =
        ["Ada", "Bruno", "Chloe", "Dmitri", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kemi", "Lars", "Maya", "Nico", "Olga", "Priya", "Quentin"];

    private static readonly string[] LastNames =
        ["Andersen", "Bianchi", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad", "Ivanova", "Jensen", "Kowalski", "Lindqvist", "Moreau"];

    public static string EmailOf(int userId) => $"user{userId}@example.com";

    // 17 and 13 are coprime, so the 50 seeded users get 50 different names.
    public static string NameOf(int userId) => $"{FirstNames[(userId - 1) % FirstNames.Length]} {LastNames[(userId - 1) % LastNames.Length]}";

    /// <param name="demoPasswords">Hashes the demo accounts' passwords (with <paramref name="demoAccounts"/>).</param>
    public static Func<AccountsDbContext, CancellationToken, Task> Create(bool demoAccounts, PasswordHasher demoPasswords) =>
        (db, cancellationToken) => SeedAsync(db, demoAccounts, demoPasswords, cancellationToken);

    private static async Task SeedAsync(AccountsDbContext db, bool demoAccounts, PasswordHasher demoPasswords, CancellationToken cancellationToken)
    {
        if (await db.Users.AnyAsync(cancellationToken))
            return;

        var users = Enumerable.Range(1, SeedPlan.UserCount).Select(id => new User
        {
            Id = id,
            Email = EmailOf(id),
            Name = NameOf(id),
            PasswordHash = PasswordHasher.Unusable,
            CreatedAt = FirstJoinedAt.AddDays(2 * (id - 1)).AddMinutes(37 * id),
        }).ToList();
        var admin = new User
        {
            Id = DemoAdminId,
            Email = DemoAdminEmail,
            Name = "Demo Admin",
            PasswordHash = PasswordHasher.Unusable,
            Role = UserRole.Admin,
            CreatedAt = FirstJoinedAt,
        };
        users.Add(admin);
        if (demoAccounts)
        {
            users[0].PasswordHash = demoPasswords.Hash(DemoShopperPassword);
            admin.PasswordHash = demoPasswords.Hash(DemoAdminPassword);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Users.AddRange(users);
        await db.SaveChangesAsync(cancellationToken);
        // Rows were inserted with explicit ids; move the identity sequence past them.
        await db.Database.ExecuteSqlRawAsync("SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT max(id) FROM users));", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
