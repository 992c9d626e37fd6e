namespace Accounts.Data;

public sealed class User
{
    public const int EmailMaxLength = 254;
    public const int NameMaxLength = 100;

    public int Id { get; set; }

    /// <summary>Stored trimmed and lower-cased, so the unique index makes emails case-insensitive.</summary>
    public string Email { get; set; } = "";

    public string Name { get; set; } = "";
    public string PasswordHash { get; set; } = "";
    public UserRole Role { get; set; } = UserRole.Shopper;
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>What an account may do; access tokens carry it as OAuth scopes (<see cref="Security.Scopes"/>).</summary>
public enum UserRole
{
    Shopper,
    Admin,
}
