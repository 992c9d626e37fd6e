using System.Text.Json.Nodes;
using Federation.Security;
using GraphQL;
using GraphQL.Execution;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Accounts.Security;

/// <summary>Accounts' identity services: token signing and its keys, sessions, login throttling; and the discovery endpoints.</summary>
public static partial class AccountsSecurity
{
    /// <summary>
    /// The process's <see cref="PasswordHasher"/> (<see cref="PasswordHashingOptions"/>), registered as a singleton. Checked
    /// here rather than on start: the seed hashes the demo passwords with it before the host starts.
    /// </summary>
    public static PasswordHasher AddPasswordHashing(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(PasswordHashingOptions.Section).Get<PasswordHashingOptions>() ?? new PasswordHashingOptions();
        var hasher = new PasswordHasher(options.ValidIterations());
        builder.Services.AddSingleton(hasher);
        return hasher;
    }

    public static WebApplicationBuilder AddAccountsSecurity(this WebApplicationBuilder builder)
    {
        // Checked when the host starts serving, not when the CLI prints the schema without configuration.
        builder.Services.AddOptions<JwtOptions>()
            .Bind(builder.Configuration.GetSection(JwtOptions.Section))
            .Validate(o => o.KeysPath.Length > 0, "Jwt:KeysPath must name the folder of signing keys (./federation up passes $STATE/keys).")
            .Validate(o => o.AccessTokenLifetime > TimeSpan.Zero && o.RefreshTokenLifetime > TimeSpan.Zero, "Jwt token lifetimes must be positive.")
            .Validate(o => o.KeyReloadInterval > TimeSpan.Zero, "Jwt:KeyReloadInterval must be positive.")
            .ValidateOnStart();
        builder.Services.AddOptions<LoginThrottleOptions>()
            .Bind(builder.Configuration.GetSection(LoginThrottleOptions.Section))
            .Validate(o => o.Window >= TimeSpan.FromSeconds(1) && o.PerAccount > 0 && o.PerAddress > 0, "LoginThrottle needs a window of at least 1 s and positive limits.")
            .ValidateOnStart();
        builder.Services.TryAddTimeProvider();
        builder.Services.AddSingleton<SigningKeyStore>();
        builder.Services.AddHostedService(services => services.GetRequiredService<SigningKeyStore>());
        builder.Services.AddSingleton<TokenIssuer>();
        builder.Services.AddSingleton<SessionIssuer>();
        builder.Services.AddSingleton<LoginThrottle>();
        builder.Services.AddHttpContextAccessor();
        // One multiplexer per process, shared by every request. It connects in the background, so the service
        // starts while Redis is down, and login fails closed until Redis is back.
        builder.Services.AddSingleton<IConnectionMultiplexer>(_ =>
        {
            var connection = builder.Configuration.GetConnectionString("Redis")
                ?? throw new InvalidOperationException("ConnectionStrings:Redis is required: login attempts are counted in Redis.");
            var options = ConfigurationOptions.Parse(connection);
            options.AbortOnConnectFail = false;
            return ConnectionMultiplexer.Connect(options);
        });
        // Replaces the kit's provider, so call this after AddSubgraphGraphQL.
        var exposeExceptions = builder.Configuration.GetValue<bool>("GraphQL:ExposeExceptionDetails");
        builder.Services.RemoveAll<IErrorInfoProvider>();
        builder.Services.AddSingleton<IErrorInfoProvider>(new RetryAfterErrorInfoProvider(new ErrorInfoProviderOptions { ExposeCode = true, ExposeExceptionDetails = exposeExceptions }));
        return builder;
    }

    /// <summary>
    /// OpenID Connect discovery, as far as token validation needs it: a JwtBearer handler with
    /// <c>Authority</c> (or <c>MetadataAddress</c>) set to this service reads the issuer and the JWKS from here.
    /// </summary>
    public static WebApplication MapIdentityDiscovery(this WebApplication app)
    {
        app.UseTrustedForwardedFor(app.Configuration);
        app.MapGet("/.well-known/openid-configuration", (HttpContext http, IOptions<JwtOptions> options) => Results.Json(new JsonObject
        {
            ["issuer"] = options.Value.Issuer,
            ["jwks_uri"] = $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/.well-known/jwks.json",
            ["scopes_supported"] = new JsonArray(Scopes.Shopper, Scopes.Admin),
            ["claims_supported"] = new JsonArray("sub", "scope", "email", "name"),
        }));
        // Short caching: a verifier sees a newly published key within minutes, and refetches anyway on an unknown kid.
        app.MapGet("/.well-known/jwks.json", (HttpContext http, SigningKeyStore keys) =>
        {
            http.Response.Headers.CacheControl = "public, max-age=300";
            return Results.Json(new JsonObject { ["keys"] = new JsonArray([.. keys.Ring.Keys.Select(k => (JsonNode)k.PublicJwk.DeepClone())]) });
        });
        return app;
    }

    private static void TryAddTimeProvider(this IServiceCollection services)
    {
        if (services.All(d => d.ServiceType != typeof(TimeProvider)))
            services.AddSingleton(TimeProvider.System);
    }

    [LoggerMessage(LogLevel.Information, "Login failed for account {AccountDigest}: {Reason}; password checked against the {Hash} hash")]
    private static partial void LogLoginFailed(ILogger logger, string accountDigest, string reason, string hash);

    public static void LoginFailed(this ILogger logger, string accountDigest, string reason, bool usedDecoy) =>
        LogLoginFailed(logger, accountDigest, reason, usedDecoy ? "decoy" : "stored");
}

/// <summary>Adds <c>extensions.retryAfter</c> (seconds) to RATE_LIMITED errors, beside the code.</summary>
public sealed class RetryAfterErrorInfoProvider(ErrorInfoProviderOptions options) : ErrorInfoProvider(options)
{
    public override ErrorInfo GetInfo(ExecutionError executionError)
    {
        var info = base.GetInfo(executionError);
        if (executionError is RateLimitedError limited)
        {
            info.Extensions ??= new Dictionary<string, object?>();
            info.Extensions["retryAfter"] = limited.RetryAfterSeconds;
        }
        return info;
    }
}
