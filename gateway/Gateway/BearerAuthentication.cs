using System.Security.Claims;
using Federation.Gateway.Authorization;
using Federation.GraphQLHttp;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
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
        services.AddSingleton<RotatedKeys>();
        services.AddHostedService<IssuerKeyPoller>();

        // IdentityModel's last-known-good configuration would keep verifying with a key for an hour after the issuer
        // stopped publishing it (a retired or compromised key). An unreachable issuer needs no such fallback: a failed
        // fetch leaves the keys fetched before in use.
        services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, jwt =>
        {
            if (jwt.ConfigurationManager is BaseConfigurationManager keys)
            {
                keys.UseLastKnownGoodConfiguration = false;
            }
        });
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
        var (caller, refusal) = await VerifyAsync(context, settings);
        if (refusal is var (error, description))
        {
            await RefuseAsync(context, error, description);
            return (true, null);
        }

        return (false, caller);
    }

    /// <summary>
    /// The caller the request's <c>Authorization</c> header names (null: none, anonymous), or why the header is refused
    /// (the RFC 6750 error and a description), without answering: a WebSocket refuses with a close code instead.
    /// </summary>
    public static async Task<(CallerIdentity? Caller, (string Error, string Description)? Refusal)> VerifyAsync(HttpContext context, AuthenticationSettings settings)
    {
        if (!context.Request.Headers.ContainsKey("Authorization"))
        {
            return (null, null);
        }

        if (!settings.Configured)
        {
            return (null, ("invalid_token", "This gateway has no token issuer configured (Authentication:MetadataAddress)."));
        }

        var result = await context.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme);
        if (result.Succeeded)
        {
            return (Caller(result.Principal), null);
        }

        if (result.Failure is SecurityTokenSignatureKeyNotFoundException && await RetryWithFreshKeysAsync(context) is { } principal)
        {
            return (Caller(principal), null);
        }

        var description = result.Failure is null
            ? "The Authorization header must use the Bearer scheme with a token."
            : Describe(result.Failure);
        return (null, (result.Failure is null ? "invalid_request" : "invalid_token", description));
    }

    private static async Task<ClaimsPrincipal?> RetryWithFreshKeysAsync(HttpContext context)
    {
        var jwt = context.RequestServices.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme);
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var keys = await context.RequestServices.GetRequiredService<RotatedKeys>().GetAsync(jwt, context.RequestAborted);
        if (keys is null)
        {
            return null;
        }

        var parameters = jwt.TokenValidationParameters.Clone();
        parameters.IssuerSigningKeys = keys;
        var result = await new JsonWebTokenHandler { MapInboundClaims = false }.ValidateTokenAsync(header["Bearer ".Length..].Trim(), parameters);
        return result.IsValid ? new ClaimsPrincipal(result.ClaimsIdentity) : null;
    }

    /// <summary>
    /// <c>sub</c> and the space-separated <c>scope</c> claim (RFC 8693 section 4.2), also as a JSON array; <c>exp</c>
    /// ends the caller's subscriptions.
    /// </summary>
    private static CallerIdentity Caller(ClaimsPrincipal? principal)
    {
        var subject = principal?.FindFirst(JwtRegisteredClaimNames.Sub)?.Value ?? string.Empty;
        var scopes = principal?.FindAll("scope").SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)) ?? [];
        var expires = long.TryParse(principal?.FindFirst(JwtRegisteredClaimNames.Exp)?.Value, out var exp)
            ? DateTimeOffset.FromUnixTimeSeconds(exp)
            : (DateTimeOffset?)null;
        return CallerIdentity.Create(subject, scopes) with { Expires = expires };
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

/// <summary>
/// The issuer's keys fetched because a token named a key id the handler's cached JWKS lacks. JwtBearer only schedules
/// a background refresh for such a token (it fails the request that saw the new key); this fetches at once, at most
/// once per <see cref="JwtBearerOptions.RefreshInterval"/> so forged key ids cannot flood the issuer, and asks the
/// handler's configuration manager to refresh too.
/// </summary>
public sealed class RotatedKeys
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private DateTime _fetched = DateTime.MinValue;
    private ICollection<SecurityKey>? _keys;

    public async Task<ICollection<SecurityKey>?> GetAsync(JwtBearerOptions jwt, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (DateTime.UtcNow - _fetched >= jwt.RefreshInterval && !string.IsNullOrEmpty(jwt.MetadataAddress))
            {
                _fetched = DateTime.UtcNow;
                var retriever = new HttpDocumentRetriever(jwt.Backchannel) { RequireHttps = jwt.RequireHttpsMetadata };
                var configuration = await OpenIdConnectConfigurationRetriever.GetAsync(jwt.MetadataAddress, retriever, cancellationToken);
                _keys = configuration.SigningKeys;
                jwt.ConfigurationManager?.RequestRefresh();
            }

            return _keys;
        }
        catch (Exception e) when (e is IOException or HttpRequestException or InvalidOperationException or TaskCanceledException)
        {
            // The issuer is unreachable: the token is refused like any other that cannot be verified.
            return _keys;
        }
        finally
        {
            _gate.Release();
        }
    }
}

/// <summary>
/// Fetches the issuer's keys every <c>Authentication:KeyPollInterval</c>, so a key the issuer retires (after a
/// compromise, say) stops verifying within that time, cached tokens included (<c>CachingTokenHandler</c> checks
/// that the key is still the issuer's). Without it only a token naming an unknown key id, or IdentityModel's own
/// automatic refresh (12 h by default, never under 5 min), would drop a retired key.
/// </summary>
internal sealed partial class IssuerKeyPoller(
    IOptionsMonitor<JwtBearerOptions> jwt,
    IOptions<GatewaySettings> settings,
    ILogger<IssuerKeyPoller> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var authentication = settings.Value.Authentication;
        if (!authentication.Configured)
        {
            return;
        }

        using var timer = new PeriodicTimer(authentication.ParsedKeyPollInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (jwt.Get(JwtBearerDefaults.AuthenticationScheme).ConfigurationManager is not { } keys)
                {
                    continue;
                }

                try
                {
                    // Honours KeyRefreshInterval between two fetches, as a token with an unknown key id does.
                    keys.RequestRefresh();
                    await keys.GetConfigurationAsync(stoppingToken);
                }
                catch (Exception e) when (e is IOException or HttpRequestException or InvalidOperationException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
                {
                    // The issuer is unreachable: the keys already fetched stay, as for any other refresh.
                    LogPollFailed(e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Fetching the token issuer's keys failed ({Reason}); the keys fetched before stay in use")]
    private partial void LogPollFailed(string reason);
}
