using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Federation.Gateway.Tests.Fixtures;

/// <summary>
/// An OpenID issuer on Kestrel (127.0.0.1, free port) shaped like accounts: a discovery document, a JWKS of EC P-256
/// keys named by their RFC 7638 thumbprint, ES256 access tokens. <see cref="Rotate"/> publishes and signs with a new
/// key, as accounts does when a key file is added.
/// </summary>
public sealed class TokenIssuer : IAsyncDisposable
{
    public const string Issuer = "federation-accounts";
    public const string Audience = "federation";

    private readonly List<ECDsaSecurityKey> _keys = [NewKey()];
    private WebApplication? _app;
    private int _jwksFetches;

    public string MetadataAddress { get; private set; } = string.Empty;

    /// <summary>Times the JWKS was served: the gateway's key fetches.</summary>
    public int JwksFetches => Volatile.Read(ref _jwksFetches);

    public ECDsaSecurityKey SigningKey => _keys[^1];

    public static async Task<TokenIssuer> StartAsync()
    {
        var issuer = new TokenIssuer();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/.well-known/openid-configuration", (HttpContext context) => Results.Text(
            new JsonObject { ["issuer"] = Issuer, ["jwks_uri"] = $"http://{context.Request.Host}/.well-known/jwks.json" }.ToJsonString(),
            "application/json"));
        app.MapGet("/.well-known/jwks.json", () =>
        {
            Interlocked.Increment(ref issuer._jwksFetches);
            return Results.Text(issuer.Jwks().ToJsonString(), "application/json");
        });
        await app.StartAsync();
        issuer._app = app;
        issuer.MetadataAddress = app.Address() + ".well-known/openid-configuration";
        return issuer;
    }

    public static ECDsaSecurityKey NewKey()
    {
        var key = new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256));
        key.KeyId = Base64UrlEncoder.Encode(JsonWebKeyConverter.ConvertFromECDsaSecurityKey(key).ComputeJwkThumbprint());
        return key;
    }

    /// <summary>A new key is published and signs from now on; the old one stays published.</summary>
    public void Rotate()
    {
        lock (_keys)
        {
            _keys.Add(NewKey());
        }
    }

    /// <summary>Every key but the current one leaves the JWKS (retired, e.g. after a compromise).</summary>
    public void RetireOldKeys()
    {
        lock (_keys)
        {
            _keys.RemoveRange(0, _keys.Count - 1);
        }
    }

    /// <param name="key">Another signing key (a forger's); the issuer's current one by default.</param>
    public string Token(
        string subject = "1",
        string scope = "shopper",
        SecurityKey? key = null,
        string issuer = Issuer,
        string audience = Audience,
        DateTime? expires = null,
        string algorithm = SecurityAlgorithms.EcdsaSha256)
    {
        var exp = expires ?? DateTime.UtcNow.AddMinutes(15);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = exp.AddMinutes(-15),
            NotBefore = exp.AddMinutes(-15),
            Expires = exp,
            Claims = new Dictionary<string, object> { ["sub"] = subject, ["scope"] = scope },
            SigningCredentials = new SigningCredentials(key ?? SigningKey, algorithm),
        });
    }

    private JsonObject Jwks()
    {
        var keys = new JsonArray();
        lock (_keys)
        {
            foreach (var key in _keys)
            {
                var jwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(key);
                keys.Add(new JsonObject { ["kty"] = jwk.Kty, ["use"] = "sig", ["alg"] = "ES256", ["kid"] = key.KeyId, ["crv"] = jwk.Crv, ["x"] = jwk.X, ["y"] = jwk.Y });
            }
        }

        return new JsonObject { ["keys"] = keys };
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
