namespace Accounts.Data;

/// <summary>
/// One refresh token of a session. Only the SHA-256 of the token is stored; every refresh marks the token used
/// and issues the next one in the same <see cref="FamilyId"/>, so a used token presented again reveals a copy.
/// </summary>
public sealed class RefreshToken
{
    public const int HashSize = 32;

    public long Id { get; set; }
    public int UserId { get; set; }
    public User User { get; set; } = null!;

    /// <summary>The session: every token rotated from one login shares it, and revocation applies to all of them.</summary>
    public Guid FamilyId { get; set; }

    public byte[] TokenHash { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}
