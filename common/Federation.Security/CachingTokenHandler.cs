using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Federation.Security;

/// <summary>
/// A <see cref="JsonWebTokenHandler"/> that remembers the tokens it verified, keyed by the token text, so a token seen
/// again costs a lookup instead of parsing and an ECDSA verification: the gateway sends each subgraph one internal token
/// per caller for 30 s, and a client sends its access token on every request until it expires.
/// </summary>
/// <remarks>
/// A remembered token is accepted only while everything it was accepted for still holds: before its <c>exp</c> plus the
/// clock skew of the parameters asking now, for the same valid issuer, audiences and algorithms, and while the key that
/// verified it is still one the parameters trust (the subgraphs' key folder after a reload, the issuer's JWKS after a
/// refresh). Parameters with custom
/// validator delegates, replay detection or actor validation are never answered from the cache. Anything else, and every
/// failure, goes through the full validation, and failures are never remembered.
/// </remarks>
/// <param name="clock">The time expiry is judged by; the system's, as the validation's own lifetime check uses.</param>
/// <param name="capacity">Tokens remembered at most; when full, expired ones are dropped, and if none had, all.</param>
public sealed class CachingTokenHandler(TimeProvider? clock = null, int capacity = 10_000) : JsonWebTokenHandler
{
    private readonly ConcurrentDictionary<string, Verified> verified = new(StringComparer.Ordinal);
    private readonly TimeProvider time = clock ?? TimeProvider.System;

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        if (token is not null && validationParameters is not null && Cacheable(validationParameters) && verified.TryGetValue(token, out var known))
        {
            if (await known.StillHoldsAsync(validationParameters, time.GetUtcNow().UtcDateTime))
            {
                return known.Result();
            }

            verified.TryRemove(KeyValuePair.Create(token, known));
        }

        var result = await base.ValidateTokenAsync(token!, validationParameters!);
        if (result.IsValid && Cacheable(validationParameters!) && Verified.From(result, validationParameters!) is { } entry)
        {
            if (verified.Count >= capacity)
            {
                Evict(time.GetUtcNow().UtcDateTime);
            }

            verified[token!] = entry;
        }

        return result;
    }

    /// <summary>Drops what has expired; if the cache is still full (many live callers), starts over.</summary>
    private void Evict(DateTime now)
    {
        foreach (var (token, entry) in verified)
        {
            if (entry.ValidTo <= now)
            {
                verified.TryRemove(token, out _);
            }
        }

        if (verified.Count >= capacity)
        {
            verified.Clear();
        }
    }

    /// <summary>Only the built-in checks, which <see cref="Verified.StillHoldsAsync"/> can repeat without the signature.</summary>
    private static bool Cacheable(TokenValidationParameters p) =>
        p is { ValidateLifetime: true, ValidateTokenReplay: false, ValidateActor: false, TokenReplayCache: null }
        && p.LifetimeValidator is null && p.AudienceValidator is null && p.IssuerValidator is null
        && p.IssuerValidatorUsingConfiguration is null && p.TypeValidator is null && p.SignatureValidator is null
        && p.SignatureValidatorUsingConfiguration is null && p.IssuerSigningKeyValidator is null
        && p.IssuerSigningKeyValidatorUsingConfiguration is null && p.IssuerSigningKeyResolverUsingConfiguration is null
        && p.AlgorithmValidator is null && p.TokenReplayValidator is null && p.TransformBeforeSignatureValidation is null;

    private sealed record Verified(
        JsonWebToken Token,
        SecurityKey Key,
        ClaimsIdentity Identity,
        DateTime ValidTo,
        string? ValidIssuer,
        string? ValidAudience,
        IEnumerable<string>? ValidIssuers,
        IEnumerable<string>? ValidAudiences,
        IEnumerable<string>? ValidAlgorithms,
        IEnumerable<string>? ValidTypes,
        (bool, bool, bool, bool, bool, bool) Checks)
    {
        public static Verified? From(TokenValidationResult result, TokenValidationParameters parameters) =>
            result is { SecurityToken: JsonWebToken { SigningKey: { } key } token, ClaimsIdentity: { } identity }
            && token.ValidTo != DateTime.MinValue
                ? new Verified(token, key, identity, token.ValidTo, parameters.ValidIssuer, parameters.ValidAudience,
                    parameters.ValidIssuers, parameters.ValidAudiences, parameters.ValidAlgorithms, parameters.ValidTypes, ChecksOf(parameters))
                : null;

        /// <summary>Parameters are cloned per request; their lists are compared by content.</summary>
        private static bool Same(IEnumerable<string>? now, IEnumerable<string>? then) =>
            now is null ? then is null : then is not null && now.SequenceEqual(then, StringComparer.Ordinal);

        private static (bool, bool, bool, bool, bool, bool) ChecksOf(TokenValidationParameters p) =>
            (p.ValidateIssuer, p.ValidateAudience, p.RequireAudience, p.ValidateIssuerSigningKey, p.RequireSignedTokens, p.RequireExpirationTime);

        /// <summary>A fresh identity per request: handlers and events downstream may add claims to theirs.</summary>
        public TokenValidationResult Result() => new()
        {
            IsValid = true,
            SecurityToken = Token,
            ClaimsIdentity = Identity.Clone(),
            Issuer = Token.Issuer,
            TokenType = Token.Typ,
        };

        public async ValueTask<bool> StillHoldsAsync(TokenValidationParameters parameters, DateTime now) =>
            now <= ValidTo + parameters.ClockSkew
            && parameters.ValidIssuer == ValidIssuer
            && parameters.ValidAudience == ValidAudience
            && Same(parameters.ValidIssuers, ValidIssuers)
            && Same(parameters.ValidAudiences, ValidAudiences)
            && Same(parameters.ValidAlgorithms, ValidAlgorithms)
            && Same(parameters.ValidTypes, ValidTypes)
            && ChecksOf(parameters) == Checks
            && (await TrustedKeysAsync(parameters)).Any(k => ReferenceEquals(k, Key));

        /// <summary>The keys these parameters would verify this token with now, as the handler would find them.</summary>
        private async ValueTask<IEnumerable<SecurityKey>> TrustedKeysAsync(TokenValidationParameters parameters)
        {
            IEnumerable<SecurityKey> keys = parameters.IssuerSigningKeyResolver is { } resolve
                ? resolve(Token.EncodedToken, Token, Key.KeyId, parameters) ?? []
                : parameters.IssuerSigningKeys ?? [];
            if (parameters.IssuerSigningKey is { } single)
            {
                keys = keys.Append(single);
            }

            if (parameters.ConfigurationManager is { } manager)
            {
                var configuration = await manager.GetBaseConfigurationAsync(CancellationToken.None);
                keys = keys.Concat(configuration?.SigningKeys ?? []);
            }

            return keys;
        }
    }
}
