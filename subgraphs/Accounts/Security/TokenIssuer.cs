using System.Text;
using Accounts.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Accounts.Security;

public sealed class JwtOptions
{
    public const string Section = "Jwt";

    /// <summary>HS256 signing key, at least 32 bytes of UTF-8. Nothing validates the tokens yet: whatever does (gateway or subgraphs) needs this key.</summary>
    public string SigningKey { get; set; } = "";

    public string Issuer { get; set; } = "federation-accounts";
    public string Audience { get; set; } = "federation";
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromHours(1);
}

public sealed record IssuedToken(string Token, DateTimeOffset ExpiresAt);

/// <summary>Signs the access tokens login hands out: HS256, subject = user id.</summary>
public sealed class TokenIssuer(IOptions<JwtOptions> options, TimeProvider clock)
{
    private readonly JsonWebTokenHandler handler = new();

    public IssuedToken Issue(User user)
    {
        var jwt = options.Value;
        var now = clock.GetUtcNow();
        var expires = now + jwt.Lifetime;
        var token = handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = jwt.Issuer,
            Audience = jwt.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                [JwtRegisteredClaimNames.Email] = user.Email,
                [JwtRegisteredClaimNames.Name] = user.Name,
                [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
            },
            SigningCredentials = new SigningCredentials(SigningKey(jwt), SecurityAlgorithms.HmacSha256),
        });
        return new IssuedToken(token, expires);
    }

    public static SymmetricSecurityKey SigningKey(JwtOptions jwt) => new(Encoding.UTF8.GetBytes(jwt.SigningKey));
}

public static class TokenIssuerRegistration
{
    public static WebApplicationBuilder AddTokenIssuer(this WebApplicationBuilder builder)
    {
        // Checked when the host starts serving, not when the CLI prints the schema without configuration.
        builder.Services.AddOptions<JwtOptions>()
            .Bind(builder.Configuration.GetSection(JwtOptions.Section))
            .Validate(o => Encoding.UTF8.GetByteCount(o.SigningKey) >= 32, "Jwt:SigningKey must be at least 32 bytes (HS256).")
            .Validate(o => o.Lifetime > TimeSpan.Zero, "Jwt:Lifetime must be positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<TokenIssuer>();
        return builder;
    }
}
