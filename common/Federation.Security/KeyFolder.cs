using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace Federation.Security;

/// <summary>
/// One EC P-256 key from a key folder; its id is the RFC 7638 thumbprint, so every replica names it alike.
/// <see cref="Key"/> holds the private key when the file did (<see cref="HasPrivateKey"/>: a signer's folder), else
/// only the public one.
/// </summary>
public sealed record SigningKey(string KeyId, string FileName, ECDsaSecurityKey Key, JsonObject PublicJwk, bool HasPrivateKey);

/// <summary>The keys loaded at one moment: all are trusted (and published), the one whose file name sorts last signs.</summary>
public sealed record KeyRing(IReadOnlyList<SigningKey> Keys)
{
    public SigningKey Current => Keys[^1];
}

/// <param name="Folder">The folder of <c>*.pem</c> files.</param>
/// <param name="ReloadInterval">How often the folder is read again besides file-system events.</param>
/// <param name="RequirePrivateKeys">A signer's folder: files holding only a public key are skipped.</param>
/// <param name="MissingKeysMessage">The start-up error when the folder holds no usable key.</param>
public sealed record KeyFolderOptions(string Folder, TimeSpan ReloadInterval, bool RequirePrivateKeys, string MissingKeysMessage);

/// <summary>
/// Reads the PEM files of a key folder at start (no usable key: the process does not start) and again whenever the
/// folder changes or <see cref="KeyFolderOptions.ReloadInterval"/> passes, so a key added, or retired, takes effect
/// without a restart. The poll backs up the watcher, which misses events on some mounts (Kubernetes secrets swap a
/// symlink, NFS sends none). Each use derives its own type, so one process can hold several folders.
/// </summary>
public abstract partial class KeyFolder(Func<KeyFolderOptions> options, ILogger logger) : IHostedService, IDisposable
{
    private readonly Lock gate = new();
    private volatile KeyRing? ring;
    private KeyFolderOptions settings = null!;
    private FileSystemWatcher? watcher;
    private Timer? timer;

    public KeyRing Ring => ring ?? throw new InvalidOperationException("The key folder is read when the host starts.");

    public Task StartAsync(CancellationToken cancellationToken)
    {
        settings = options();
        var folder = settings.Folder;
        ring = Load(folder) ?? throw new InvalidOperationException(settings.MissingKeysMessage);
        LogLoaded(folder, ring.Keys.Count, ring.Current.KeyId);
        timer = new Timer(_ => Reload(), null, settings.ReloadInterval, settings.ReloadInterval);
        watcher = new FileSystemWatcher(folder, "*.pem") { NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size };
        // Several events arrive per copied file; a short delay lets the writer finish before the folder is read.
        FileSystemEventHandler changed = (_, _) => timer.Change(TimeSpan.FromMilliseconds(250), settings.ReloadInterval);
        watcher.Created += changed;
        watcher.Changed += changed;
        watcher.Deleted += changed;
        watcher.Renamed += (sender, e) => changed(sender, e);
        try
        {
            watcher.EnableRaisingEvents = true;
        }
        catch (IOException ex)
        {
            // Typically the per-user inotify limit; the poll still picks up new keys.
            LogWatcherUnavailable(folder, ex.Message);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        watcher?.Dispose();
        timer?.Dispose();
        GC.SuppressFinalize(this);
    }

    private void Reload()
    {
        lock (gate)
        {
            KeyRing? loaded;
            try
            {
                loaded = Load(settings.Folder);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A timer callback must not throw (it would end the process); the folder may be mid-replacement.
                loaded = null;
                LogUnusableKey(settings.Folder, ex.Message);
            }
            if (loaded is null)
            {
                // Working with the keys already loaded beats refusing every request because of a bad deploy.
                LogEmptyKeptPrevious(settings.Folder);
                return;
            }
            var previous = ring!;
            if (loaded.Keys.Select(k => k.KeyId).SequenceEqual(previous.Keys.Select(k => k.KeyId)))
                return;
            ring = loaded;
            LogLoaded(settings.Folder, loaded.Keys.Count, loaded.Current.KeyId);
        }
    }

    private KeyRing? Load(string folder)
    {
        if (!Directory.Exists(folder))
            return null;
        var keys = new List<SigningKey>();
        foreach (var path in Directory.EnumerateFiles(folder, "*.pem").Order(StringComparer.Ordinal))
        {
            try
            {
                var key = SigningKeyFiles.Read(path);
                if (settings.RequirePrivateKeys && !key.HasPrivateKey)
                    throw new CryptographicException("holds a public key only; this folder needs private keys");
                if (keys.All(k => k.KeyId != key.KeyId))
                    keys.Add(key);
            }
            catch (Exception ex) when (ex is CryptographicException or ArgumentException or IOException or UnauthorizedAccessException)
            {
                LogUnusableKey(path, ex.Message);
            }
        }
        return keys.Count == 0 ? null : new KeyRing(keys);
    }

    [LoggerMessage(LogLevel.Information, "Keys loaded from {Folder}: {Count} trusted, current kid {KeyId}")]
    private partial void LogLoaded(string folder, int count, string keyId);

    [LoggerMessage(LogLevel.Error, "Skipped key file {Path}: {Reason}")]
    private partial void LogUnusableKey(string path, string reason);

    [LoggerMessage(LogLevel.Warning, "Not watching {Folder} ({Reason}); new keys are read by the periodic reload only")]
    private partial void LogWatcherUnavailable(string folder, string reason);

    [LoggerMessage(LogLevel.Error, "{Folder} holds no usable key any more; still using the keys loaded before")]
    private partial void LogEmptyKeptPrevious(string folder);
}

/// <summary>The key files: PEM, one EC P-256 key each (PKCS#8 private, or SubjectPublicKeyInfo public).</summary>
public static class SigningKeyFiles
{
    private const string P256Oid = "1.2.840.10045.3.1.7";

    public static SigningKey Read(string path)
    {
        var ecdsa = ECDsa.Create();
        try
        {
            var pem = File.ReadAllText(path);
            ecdsa.ImportFromPem(pem);
            var parameters = ecdsa.ExportParameters(includePrivateParameters: false);
            if (parameters.Curve.Oid?.Value != P256Oid && parameters.Curve.Oid?.FriendlyName is not ("nistP256" or "ECDSA_P256"))
                throw new CryptographicException("not an EC P-256 key (ES256 needs P-256)");
            var jwk = new JsonWebKey
            {
                Kty = JsonWebAlgorithmsKeyTypes.EllipticCurve,
                Crv = JsonWebKeyECTypes.P256,
                X = Base64UrlEncoder.Encode(parameters.Q.X),
                Y = Base64UrlEncoder.Encode(parameters.Q.Y),
            };
            var keyId = Base64UrlEncoder.Encode(jwk.ComputeJwkThumbprint());
            var publicJwk = new JsonObject
            {
                ["kty"] = jwk.Kty,
                ["use"] = "sig",
                ["alg"] = SecurityAlgorithms.EcdsaSha256,
                ["kid"] = keyId,
                ["crv"] = jwk.Crv,
                ["x"] = jwk.X,
                ["y"] = jwk.Y,
            };
            // ImportFromPem refuses a file with more than one key, so the label tells which half this one is.
            var hasPrivateKey = pem.Contains("PRIVATE KEY-----", StringComparison.Ordinal);
            return new SigningKey(keyId, Path.GetFileName(path), new ECDsaSecurityKey(ecdsa) { KeyId = keyId }, publicJwk, hasPrivateKey);
        }
        catch
        {
            ecdsa.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Writes a new key named after the current UTC time, so it sorts last and signs from the next reload on.
    /// The folder is made owner-only and the file owner-readable; the file appears under its final name only
    /// once complete, so a watching process never reads half a key. With <paramref name="publicFolder"/> the
    /// public half is written there under the same name (readable by all: it is no secret).
    /// </summary>
    public static string Generate(string folder, TimeProvider clock, string? publicFolder = null)
    {
        var directory = Directory.CreateDirectory(folder);
        if (!OperatingSystem.IsWindows())
            directory.UnixFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string PathAt(DateTimeOffset at) => Path.Combine(folder, at.ToString("yyyyMMdd'T'HHmmssfff'Z'", System.Globalization.CultureInfo.InvariantCulture) + ".pem");
        var at = clock.GetUtcNow();
        // A millisecond later on a clash, so the new key still sorts after every key written before it.
        while (File.Exists(PathAt(at)))
            at = at.AddMilliseconds(1);
        var path = PathAt(at);
        if (publicFolder is not null)
        {
            // The public half first: verifiers given this folder trust the key before any signer can use it.
            Directory.CreateDirectory(publicFolder);
            WriteAtomically(Path.Combine(publicFolder, Path.GetFileName(path)), ecdsa.ExportSubjectPublicKeyInfoPem(), ownerOnly: false);
        }
        WriteAtomically(path, ecdsa.ExportPkcs8PrivateKeyPem(), ownerOnly: true);
        return path;
    }

    private static void WriteAtomically(string path, string pem, bool ownerOnly)
    {
        var temporary = path + ".tmp";
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            create.UnixCreateMode = ownerOnly ? UnixFileMode.UserRead | UnixFileMode.UserWrite : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        using (var writer = new StreamWriter(temporary, System.Text.Encoding.ASCII, create))
            writer.Write(pem);
        File.Move(temporary, path);
    }
}
