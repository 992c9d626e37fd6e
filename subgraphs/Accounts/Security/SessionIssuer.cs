using System.Security.Cryptography;
using System.Text;
using Accounts.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Accounts.Security;

/// <summary>What login and refresh hand out: an access token and the one refresh token that may renew it.</summary>
public sealed record Session(User User, IssuedToken AccessToken, IssuedToken RefreshToken);

public enum RefreshFailure
{
    /// <summary>Unknown, expired or revoked (logged out).</summary>
    Invalid,

    /// <summary>Already used once: someone holds a copy, so the whole session was revoked.</summary>
    Reused,
}

public sealed record RefreshResult(Session? Session, RefreshFailure? Failure);

/// <summary>
/// Sessions as families of single-use refresh tokens (OAuth 2.0 Security BCP, RFC 9700 section 4.14.2):
/// each refresh spends its token and returns the next one of the family; presenting a spent token again
/// revokes the family, which logs out both the thief and the victim and shows the theft.
/// </summary>
public sealed class SessionIssuer(TokenIssuer tokens, IOptions<JwtOptions> options, TimeProvider clock, IDbContextFactory<AccountsDbContext> factory)
{
    private const int TokenBytes = 32;
    private const int TokenMaxLength = 100;

    public async Task<Session> StartAsync(User user, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var refresh = Add(db, user.Id, Guid.NewGuid());
        await db.SaveChangesAsync(cancellationToken);
        return new Session(user, tokens.Issue(user), refresh);
    }

    public async Task<RefreshResult> RefreshAsync(string refreshToken, CancellationToken cancellationToken)
    {
        if (refreshToken.Length > TokenMaxLength)
            return new RefreshResult(null, RefreshFailure.Invalid);
        var hash = Hash(refreshToken);
        var now = clock.GetUtcNow();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The conditional UPDATE is the single-use check: of two concurrent refreshes with one token, the second
        // waits for the first's row lock, re-reads used_at under READ COMMITTED, claims nothing and counts as reuse.
        var claimed = await db.RefreshTokens
            .Where(t => t.TokenHash == hash && t.UsedAt == null && t.RevokedAt == null && t.ExpiresAt > now)
            .ExecuteUpdateAsync(set => set.SetProperty(t => t.UsedAt, now), cancellationToken);
        if (claimed == 0)
        {
            var known = await db.RefreshTokens.AsNoTracking().Where(t => t.TokenHash == hash)
                .Select(t => new { t.FamilyId, t.UsedAt }).SingleOrDefaultAsync(cancellationToken);
            if (known?.UsedAt is null)
                return new RefreshResult(null, RefreshFailure.Invalid);
            await RevokeFamilyAsync(db, known.FamilyId, now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new RefreshResult(null, RefreshFailure.Reused);
        }

        var spent = await db.RefreshTokens.AsNoTracking().Include(t => t.User).SingleAsync(t => t.TokenHash == hash, cancellationToken);
        var next = Add(db, spent.UserId, spent.FamilyId);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new RefreshResult(new Session(spent.User, tokens.Issue(spent.User), next), null);
    }

    /// <summary>Revokes the session the token belongs to, whether the token is current or already spent.</summary>
    /// <returns>False when the token was never issued.</returns>
    public async Task<bool> RevokeAsync(string refreshToken, CancellationToken cancellationToken)
    {
        if (refreshToken.Length > TokenMaxLength)
            return false;
        var hash = Hash(refreshToken);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var family = await db.RefreshTokens.Where(t => t.TokenHash == hash).Select(t => (Guid?)t.FamilyId).SingleOrDefaultAsync(cancellationToken);
        if (family is null)
            return false;
        await RevokeFamilyAsync(db, family.Value, clock.GetUtcNow(), cancellationToken);
        return true;
    }

    public static byte[] Hash(string refreshToken) => SHA256.HashData(Encoding.UTF8.GetBytes(refreshToken));

    private IssuedToken Add(AccountsDbContext db, int userId, Guid familyId)
    {
        var token = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(TokenBytes));
        var now = clock.GetUtcNow();
        var expires = now + options.Value.RefreshTokenLifetime;
        db.RefreshTokens.Add(new RefreshToken { UserId = userId, FamilyId = familyId, TokenHash = Hash(token), CreatedAt = now, ExpiresAt = expires });
        return new IssuedToken(token, expires);
    }

    /// <summary>Revokes every session of the user (a changed password); runs in the caller's transaction.</summary>
    public static Task<int> RevokeAllAsync(AccountsDbContext db, int userId, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.RefreshTokens.Where(t => t.UserId == userId && t.RevokedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(t => t.RevokedAt, now), cancellationToken);

    private static Task<int> RevokeFamilyAsync(AccountsDbContext db, Guid familyId, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.RefreshTokens.Where(t => t.FamilyId == familyId && t.RevokedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(t => t.RevokedAt, now), cancellationToken);
}
