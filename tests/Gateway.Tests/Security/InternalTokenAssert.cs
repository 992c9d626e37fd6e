using Federation.Security;
using Federation.Testing.Security;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Federation.Gateway.Tests.Security;

/// <summary>Validates an internal token exactly as a subgraph does (the kit's parameters, the test run's public key).</summary>
internal static class InternalTokenAssert
{
    private static readonly Lazy<KeyRing> PublicKeys = new(() =>
        new KeyRing([.. Directory.GetFiles(TestInternalTokens.PublicKeysPath, "*.pem").Select(SigningKeyFiles.Read)]));

    public static async Task<JsonWebToken> ValidAsync(string token, string subgraph)
    {
        var result = await new JsonWebTokenHandler { MapInboundClaims = false }
            .ValidateTokenAsync(token, InternalTokens.ValidationParameters(subgraph, () => PublicKeys.Value.Keys.Select(k => k.Key)));
        Assert.True(result.IsValid, $"internal token for {subgraph} not valid: {result.Exception?.Message}");
        return (JsonWebToken)result.SecurityToken;
    }
}
