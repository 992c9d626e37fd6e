using System.Net.Http.Headers;
using Federation.Security;
using Federation.Testing.Servers;

namespace Federation.Testing.Security;

/// <summary>
/// The test run's stand-in for the gateway's signing key: one EC P-256 key pair generated per test process (none is
/// committed), the public half for subgraph processes (<see cref="PublicKeysPath"/>), the private half for in-process
/// gateway engines (<see cref="PrivateKeysPath"/>, <see cref="Issuer"/>), and internal tokens minted with it.
/// </summary>
public static class TestInternalTokens
{
    private static readonly Lazy<(string Private, string Public, InternalTokenIssuer Issuer)> Keys = new(() =>
    {
        var folder = TestDirectories.Create("gateway-keys");
        var privateFolder = Path.Combine(folder, "private");
        var publicFolder = Path.Combine(folder, "public");
        var file = SigningKeyFiles.Generate(privateFolder, TimeProvider.System, publicFolder);
        var ring = new KeyRing([SigningKeyFiles.Read(file)]);
        return (privateFolder, publicFolder, new InternalTokenIssuer(() => ring));
    });

    /// <summary>What subgraph processes get as <c>InternalTokens__PublicKeysPath</c>.</summary>
    public static string PublicKeysPath => Keys.Value.Public;

    /// <summary>What a gateway gets as <c>InternalTokens__KeysPath</c>.</summary>
    public static string PrivateKeysPath => Keys.Value.Private;

    /// <summary>Signs as the gateway does, caching like the gateway (60 s tokens).</summary>
    public static InternalTokenIssuer Issuer => Keys.Value.Issuer;

    /// <summary>A token for <paramref name="subgraph"/> (its name: <c>accounts</c>, <c>catalog</c>, ...) carrying the caller.</summary>
    public static string Mint(string subgraph, string? userId = null, params string[] scopes) => Issuer.Issue(subgraph, userId, scopes);

    /// <summary>
    /// An anonymous caller's token that lives <paramref name="lifetime"/>: static headers for the Node gateways of the
    /// differential tests, which cannot sign per request.
    /// </summary>
    public static string MintLongLived(string subgraph, TimeSpan lifetime) => Issuer.Create(subgraph, null, [], lifetime);

    /// <summary>Adds a fresh internal token for one subgraph and caller to each request that carries no Authorization.</summary>
    public sealed class Handler(string subgraph, string? userId, string[] scopes, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Authorization ??= new AuthenticationHeaderValue("Bearer", Mint(subgraph, userId, scopes));
            return base.SendAsync(request, cancellationToken);
        }
    }
}
