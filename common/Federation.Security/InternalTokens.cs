using System.Collections.Concurrent;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Federation.Security;

/// <summary>
/// The token the gateway sends to each subgraph in place of the client's credentials: ES256, <c>iss</c>
/// <see cref="Issuer"/>, <c>aud</c> the subgraph's name, the verified caller's <c>sub</c> and <c>scope</c>
/// (neither for an anonymous caller), a lifetime of <see cref="Lifetime"/>. docs/architecture.md, "Security".
/// </summary>
public static class InternalTokens
{
    public const string Issuer = "federation-gateway";

    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);

    /// <summary>Clock difference tolerated between the gateway and a subgraph; small, since tokens live a minute.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(15);

    /// <summary>
    /// What a subgraph accepts: signed ES256 by one of <paramref name="trustedKeys"/> (asked per token, so a rotated key
    /// is trusted without a restart), issued by the gateway for <paramref name="audience"/>, within its lifetime.
    /// </summary>
    public static TokenValidationParameters ValidationParameters(string audience, Func<IEnumerable<SecurityKey>> trustedKeys) => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = audience,
        ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
        IssuerSigningKeyResolver = (_, _, kid, _) => trustedKeys().Where(k => kid is null || k.KeyId == kid),
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        ValidateIssuerSigningKey = true,
        ClockSkew = ClockSkew,
        NameClaimType = JwtRegisteredClaimNames.Sub,
    };
}

/// <summary>
/// Signs internal tokens with the current key of a key ring. <see cref="Issue"/> hands out one token per
/// (subgraph, caller, key) until half its lifetime has passed, so signing is paid about once per 30 s and caller,
/// not per fetch, and a token handed out always has at least half its lifetime left.
/// </summary>
public sealed class InternalTokenIssuer(Func<KeyRing> keys, TimeProvider? clock = null, int cacheCapacity = 10_000)
{
    private readonly JsonWebTokenHandler handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly ConcurrentDictionary<(string Audience, string? Subject, string Scopes, string KeyId), (string Token, DateTimeOffset Renew)> cache = new();
    private readonly TimeProvider time = clock ?? TimeProvider.System;

    /// <summary>A token for <paramref name="audience"/> carrying the caller, from the cache while it is fresh.</summary>
    /// <param name="subject">The verified caller's <c>sub</c>; null for an anonymous caller.</param>
    /// <param name="scopes">The caller's scopes (empty for an anonymous caller).</param>
    public string Issue(string audience, string? subject, IEnumerable<string> scopes)
    {
        var key = keys().Current;
        var scope = string.Join(' ', scopes);
        var now = time.GetUtcNow();
        var entry = (audience, subject, scope, key.KeyId);
        if (cache.TryGetValue(entry, out var cached) && now < cached.Renew)
            return cached.Token;
        if (cache.Count >= cacheCapacity)
            cache.Clear();
        var token = Create(key, audience, subject, scope, now, InternalTokens.Lifetime);
        cache[entry] = (token, now + InternalTokens.Lifetime / 2);
        return token;
    }

    /// <summary>A new token with its own lifetime, not cached: for tools and tests that hold one for a whole run.</summary>
    public string Create(string audience, string? subject, IEnumerable<string> scopes, TimeSpan lifetime) =>
        Create(keys().Current, audience, subject, string.Join(' ', scopes), time.GetUtcNow(), lifetime);

    private string Create(SigningKey key, string audience, string? subject, string scope, DateTimeOffset now, TimeSpan lifetime)
    {
        var claims = new Dictionary<string, object>();
        if (subject is not null)
            claims[JwtRegisteredClaimNames.Sub] = subject;
        if (scope.Length > 0)
            claims["scope"] = scope;
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = InternalTokens.Issuer,
            Audience = audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + lifetime).UtcDateTime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(key.Key, SecurityAlgorithms.EcdsaSha256),
        });
    }
}
