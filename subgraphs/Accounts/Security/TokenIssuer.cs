using System.Globalization;
using Accounts.Data;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Microsoft.Extensions.Options;

namespace Accounts.Security;

public sealed class JwtOptions
{
    public const string Section = "Jwt";

    /// <summary>Folder of EC P-256 private keys (PEM); see docs/architecture.md "Security" for rotation.</summary>
    public string KeysPath { get; set; } = "";

    public TimeSpan KeyReloadInterval { get; set; } = TimeSpan.FromMinutes(1);
    public string Issuer { get; set; } = "federation-accounts";
    public string Audience { get; set; } = "federation";
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);
}

/// <summary>OAuth scope values the access token carries, space-separated in the <c>scope</c> claim (RFC 8693 section 4.2).</summary>
public static class Scopes
{
    public const string Shopper = "shopper";
    public const string Admin = "admin";

    // An admin also shops: checkout and order history take the same scope for every signed-in user.
    public static string For(UserRole role) => role == UserRole.Admin ? $"{Shopper} {Admin}" : Shopper;
}

public sealed record IssuedToken(string Token, DateTimeOffset ExpiresAt);

/// <summary>
/// Signs access tokens with the current key of the key ring: ES256, <c>kid</c> in the header, subject = user id.
/// Anyone can check them against the published JWKS; nothing in this repository validates them yet
/// (gateway validation and subgraph enforcement are planned, see docs/architecture.md "Security").
/// </summary>
public sealed class TokenIssuer(IOptions<JwtOptions> options, SigningKeyStore keys, TimeProvider clock)
{
    private readonly JsonWebTokenHandler handler = new();

    public IssuedToken Issue(User user)
    {
        var jwt = options.Value;
        var now = clock.GetUtcNow();
        var expires = now + jwt.AccessTokenLifetime;
        var token = handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = jwt.Issuer,
            Audience = jwt.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = user.Id.ToString(CultureInfo.InvariantCulture),
                ["scope"] = Scopes.For(user.Role),
                [JwtRegisteredClaimNames.Email] = user.Email,
                [JwtRegisteredClaimNames.Name] = user.Name,
                [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
            },
            SigningCredentials = new SigningCredentials(keys.Ring.Current.Key, SecurityAlgorithms.EcdsaSha256),
        });
        return new IssuedToken(token, expires);
    }
}
