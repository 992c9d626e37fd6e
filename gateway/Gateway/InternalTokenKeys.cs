using Federation.Security;
using Microsoft.Extensions.Options;

namespace Federation.Gateway.Host;

/// <summary>The gateway's internal-token signing keys (<c>InternalTokens:KeysPath</c>), reloaded while running.</summary>
public sealed partial class InternalTokenKeys(IOptions<GatewaySettings> settings, ILogger<InternalTokenKeys> logger) : KeyFolder(
    () => new KeyFolderOptions(
        settings.Value.InternalTokens.KeysPath!,
        GatewaySettings.TryParseDuration(settings.Value.InternalTokens.KeyReloadInterval ?? "", out var interval) ? interval : TimeSpan.FromMinutes(1),
        RequirePrivateKeys: true,
        $"InternalTokens:KeysPath '{settings.Value.InternalTokens.KeysPath}' holds no usable EC P-256 private key (*.pem). Create one with: Gateway.dll keys generate {settings.Value.InternalTokens.KeysPath} <public dir>"),
    logger)
{
    [LoggerMessage(LogLevel.Warning, "InternalTokens:KeysPath is not set: subgraph requests carry no internal token, and Federation's subgraphs answer them 401")]
    internal static partial void LogUnsigned(ILogger logger);
}

/// <summary>
/// <c>Gateway.dll keys generate &lt;private dir&gt; &lt;public dir&gt;</c> writes a new internal-token key (the private
/// half for the gateway, the public half for the subgraphs); <c>Gateway.dll tokens mint &lt;private dir&gt;
/// &lt;subgraph&gt; &lt;seconds&gt; [&lt;subject&gt; ["&lt;scope&gt; ..."]]</c> prints a token for tools that cannot sign
/// per request (other gateways in tests and benchmarks, seed lookups): an anonymous caller's, or the named one's.
/// </summary>
public static class KeyCommands
{
    public static int? TryRun(string[] args)
    {
        switch (args)
        {
            case ["keys", "generate", var privateFolder, var publicFolder]:
                Console.WriteLine(SigningKeyFiles.Generate(privateFolder, TimeProvider.System, publicFolder));
                return 0;
            case ["tokens", "mint", var folder, var subgraph, var seconds, .. var caller] when caller.Length <= 2:
                if (!int.TryParse(seconds, System.Globalization.CultureInfo.InvariantCulture, out var lifetime) || lifetime <= 0)
                {
                    Console.Error.WriteLine("tokens mint: the lifetime must be a positive number of seconds");
                    return 2;
                }

                var current = Directory.EnumerateFiles(folder, "*.pem").Order(StringComparer.Ordinal).LastOrDefault();
                if (current is null)
                {
                    Console.Error.WriteLine($"tokens mint: {folder} holds no key (*.pem)");
                    return 1;
                }

                var ring = new KeyRing([SigningKeyFiles.Read(current)]);
                var subject = caller.Length > 0 ? caller[0] : null;
                string[] scopes = caller.Length > 1 ? caller[1].Split(' ', StringSplitOptions.RemoveEmptyEntries) : [];
                Console.WriteLine(new InternalTokenIssuer(() => ring).Create(subgraph, subject, scopes, TimeSpan.FromSeconds(lifetime)));
                return 0;
            case ["keys", ..] or ["tokens", ..]:
                Console.Error.WriteLine("usage: Gateway.dll keys generate <private dir> <public dir> | Gateway.dll tokens mint <private dir> <subgraph> <seconds> [<subject> [\"<scope> ...\"]]");
                return 2;
            default:
                return null;
        }
    }
}
