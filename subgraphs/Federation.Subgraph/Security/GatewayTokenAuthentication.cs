using Federation.GraphQLHttp;
using Federation.Security;
using Federation.Subgraph.Hosting;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Federation.Subgraph.Security;

/// <summary>Bound from <c>InternalTokens</c>: where the gateway's public keys are.</summary>
public sealed class InternalTokenOptions
{
    public const string Section = "InternalTokens";

    /// <summary>Folder of the gateway's public keys (PEM); every key in it is trusted. docs/architecture.md, "Security".</summary>
    public string PublicKeysPath { get; set; } = "";

    public TimeSpan KeyReloadInterval { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>The gateway's public keys, reloaded while running so a new gateway key is trusted without a restart.</summary>
public sealed class GatewayPublicKeys(IOptions<InternalTokenOptions> options, ILogger<GatewayPublicKeys> logger) : KeyFolder(
    () => new KeyFolderOptions(
        options.Value.PublicKeysPath,
        options.Value.KeyReloadInterval,
        RequirePrivateKeys: false,
        $"InternalTokens:PublicKeysPath '{options.Value.PublicKeysPath}' holds no usable EC P-256 key (*.pem): it must hold the gateway's public keys (Gateway.dll keys generate <private dir> <public dir>)."),
    logger);

/// <summary>
/// Every subgraph accepts GraphQL requests only with an internal token the gateway signed for it: JwtBearer
/// validates signature (ES256, the gateway's public keys), issuer, audience (this subgraph's name) and lifetime, once per
/// token (<see cref="CachingTokenHandler"/>).
/// Health endpoints stay open. There is deliberately no switch to turn this off.
/// </summary>
public static class GatewayTokenAuthentication
{
    public const string Policy = "gateway";

    internal static IServiceCollection AddGatewayTokenAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        // Checked when the host starts serving, not when the CLI prints the schema without configuration.
        services.AddOptions<InternalTokenOptions>()
            .Bind(configuration.GetSection(InternalTokenOptions.Section))
            .Validate(o => o.PublicKeysPath.Length > 0, "InternalTokens:PublicKeysPath must name the folder of the gateway's public keys (./federation up passes $STATE/gateway-keys/public).")
            .Validate(o => o.KeyReloadInterval > TimeSpan.Zero, "InternalTokens:KeyReloadInterval must be positive.")
            .ValidateOnStart();
        services.AddSingleton<GatewayPublicKeys>();
        services.AddHostedService(sp => sp.GetRequiredService<GatewayPublicKeys>());
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<GatewayPublicKeys, SubgraphIdentity>((bearer, keys, subgraph) =>
            {
                // sub and scope stay as the gateway wrote them (no mapping to WS-* claim types).
                bearer.MapInboundClaims = false;
                // The gateway reuses a token for 30 s: one ECDSA verification per caller and half-minute, not per request.
                bearer.TokenHandlers.Clear();
                bearer.TokenHandlers.Add(new CachingTokenHandler { MapInboundClaims = false });
                bearer.TokenValidationParameters = InternalTokens.ValidationParameters(subgraph.Name, () => keys.Ring.Keys.Select(k => k.Key));
                bearer.Events = new JwtBearerEvents { OnChallenge = WriteUnauthorizedAsync };
            });
        services.AddAuthorizationBuilder()
            .AddPolicy(Policy, policy => policy.AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme).RequireAuthenticatedUser());
        return services;
    }

    /// <summary>A 401 with <c>WWW-Authenticate</c> (RFC 6750) and a GraphQL error body, so the gateway can report why.</summary>
    private static async Task WriteUnauthorizedAsync(JwtBearerChallengeContext challenge)
    {
        challenge.HandleResponse();
        var http = challenge.HttpContext;
        http.Response.Headers.WWWAuthenticate = challenge.AuthenticateFailure is null
            ? "Bearer"
            : "Bearer error=\"invalid_token\"";
        var message = challenge.AuthenticateFailure is null
            ? "This subgraph answers only requests carrying an internal token from the gateway."
            : "The internal token is not valid for this subgraph.";
        await GraphQLHttpResponse.WriteErrorAsync(http, StatusCodes.Status401Unauthorized, GraphQLMediaTypes.Json, message, "UNAUTHENTICATED");
    }
}
