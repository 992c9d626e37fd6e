using System.Security.Claims;
using Federation.Gateway.Authorization;
using Federation.GraphQLHttp;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Federation.Gateway.Host;

/// <summary>
/// Verifies the client's bearer token with ASP.NET Core's JwtBearer handler against the issuer's published keys
/// (OpenID discovery, JWKS): signature, issuer, audience, lifetime, and an algorithm allow-list. No
/// <c>Authorization</c> header means an anonymous caller; a header that does not verify is answered 401 and never
/// treated as anonymous.
/// </summary>
public static class BearerAuthentication
{
    /// <summary>Asymmetric algorithms only: a shared-secret (HS*) or unsigned (<c>none</c>) token never verifies.</summary>
    public static readonly string[] Algorithms = [SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.RsaSha256];

    public static void AddBearerAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<GatewaySettings>>((jwt, settings) => settings.Value.Authentication.ApplyTo(jwt));
    }

    /// <summary>
    /// The verified caller (null: anonymous), or <c>Refused</c> after the 401 has been written. On a key id the
    /// cached JWKS does not hold, the keys are fetched again (at most once per <c>KeyRefreshInterval</c>) and the
    /// token checked once more, so the first token signed with a rotated key already passes.
    /// </summary>
    public static async Task<(bool Refused, CallerIdentity? Caller)> AuthenticateAsync(HttpContext context, AuthenticationSettings settings)
    {
        if (!context.Request.Headers.ContainsKey("Authorization"))
        {
            return (false, null);
        }

        if (!settings.Configured)
        {
            await RefuseAsync(context, "invalid_token", "This gateway has no token issuer configured (Authentication:MetadataAddress).");
            return (true, null);
        }

        var result = await context.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme);
        if (result.Succeeded)
        {
            return (false, Caller(result.Principal));
        }

        if (result.Failure is SecurityTokenSignatureKeyNotFoundException && await RetryWithFreshKeysAsync(context) is { } principal)
        {
            return (false, Caller(principal));
        }

        var description = result.Failure is null
            ? "The Authorization header must use the Bearer scheme with a token."
            : Describe(result.Failure);
        await RefuseAsync(context, result.Failure is null ? "invalid_request" : "invalid_token", description);
        return (true, null);
    }

    private static async Task<ClaimsPrincipal?> RetryWithFreshKeysAsync(HttpContext context)
    {
        var jwt = context.RequestServices.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme);
        if (jwt.ConfigurationManager is null || context.Request.Headers.Authorization.ToString() is not { } header
            || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        // The handler has already asked the manager for a refresh (RefreshOnIssuerKeyNotFound); this waits for it.
        var configuration = await jwt.ConfigurationManager.GetConfigurationAsync(context.RequestAborted);
        var parameters = jwt.TokenValidationParameters.Clone();
        parameters.IssuerSigningKeys = configuration.SigningKeys;
        var result = await new JsonWebTokenHandler { MapInboundClaims = false }.ValidateTokenAsync(header["Bearer ".Length..].Trim(), parameters);
        return result.IsValid ? new ClaimsPrincipal(result.ClaimsIdentity) : null;
    }

    /// <summary><c>sub</c> and the space-separated <c>scope</c> claim (RFC 8693 section 4.2), also as a JSON array.</summary>
    private static CallerIdentity Caller(ClaimsPrincipal? principal)
    {
        var subject = principal?.FindFirst(JwtRegisteredClaimNames.Sub)?.Value ?? string.Empty;
        var scopes = principal?.FindAll("scope").SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)) ?? [];
        return CallerIdentity.Create(subject, scopes);
    }

    /// <summary>What RFC 6750 lets a client know: which check failed, without the library's internals.</summary>
    private static string Describe(Exception failure) => failure switch
    {
        SecurityTokenExpiredException => "The token has expired.",
        SecurityTokenNotYetValidException => "The token is not valid yet.",
        SecurityTokenInvalidIssuerException => "The token's issuer is not accepted.",
        SecurityTokenInvalidAudienceException => "The token's audience is not accepted.",
        SecurityTokenInvalidAlgorithmException => "The token's signing algorithm is not accepted.",
        SecurityTokenSignatureKeyNotFoundException => "The token is not signed by a key of the issuer.",
        SecurityTokenInvalidSignatureException => "The token's signature is invalid.",
        SecurityTokenMalformedException or ArgumentException => "The token is malformed.",
        _ => "The token is invalid.",
    };

    private static async Task RefuseAsync(HttpContext context, string error, string description)
    {
        context.Response.Headers.WWWAuthenticate = $"Bearer error=\"{error}\", error_description=\"{description}\"";
        var mediaType = GraphQLMediaTypes.Negotiate(context.Request) ?? GraphQLMediaTypes.Json;
        await GraphQLHttpResponse.WriteErrorAsync(context, StatusCodes.Status401Unauthorized, mediaType, description, "UNAUTHENTICATED");
    }
}
