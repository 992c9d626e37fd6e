using Federation.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Accounts.Security;

/// <summary>The access-token signing keys of <see cref="JwtOptions.KeysPath"/>, reloaded while running (docs/architecture.md, "Security").</summary>
public sealed class SigningKeyStore(IOptions<JwtOptions> options, ILogger<SigningKeyStore> logger) : KeyFolder(
    () => new KeyFolderOptions(
        options.Value.KeysPath,
        options.Value.KeyReloadInterval,
        RequirePrivateKeys: true,
        $"Jwt:KeysPath '{options.Value.KeysPath}' holds no usable EC P-256 key (*.pem). Create one with: Accounts.dll keys generate {options.Value.KeysPath}"),
    logger);
