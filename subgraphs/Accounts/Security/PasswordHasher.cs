using System.Globalization;
using System.Security.Cryptography;

namespace Accounts.Security;

/// <summary>
/// PBKDF2-HMAC-SHA256 with a random 16-byte salt per password. The iteration count is stored with the
/// hash (<c>pbkdf2-sha256$iterations$salt$hash</c>), so it can be raised later without breaking old hashes, and a
/// hash verifies whatever count this process hashes with.
/// </summary>
public sealed class PasswordHasher
{
    /// <summary>OWASP Password Storage Cheat Sheet (2023 onward): 600,000 for PBKDF2-HMAC-SHA256.</summary>
    public const int DefaultIterations = 600_000;

    /// <summary>Stored for accounts nobody may sign in to: no password verifies against it.</summary>
    public const string Unusable = "!";

    private const string Scheme = "pbkdf2-sha256";
    private const int SaltSize = 16;
    private const int HashSize = 32;

    // Verified against when there is no usable hash (unknown email, locked account), so login costs the same.
    private readonly Lazy<string> _decoy;

    public PasswordHasher(int iterations = DefaultIterations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, PasswordHashingOptions.TestMinimumIterations);
        Iterations = iterations;
        _decoy = new(() => Hash(Convert.ToBase64String(RandomNumberGenerator.GetBytes(SaltSize))));
    }

    /// <summary>What new hashes are made with; <see cref="DefaultIterations"/> outside test stacks.</summary>
    public int Iterations { get; }

    public string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltSize);
        var hash = Rfc2898DeriveBytes.Pbkdf2(password, salt, Iterations, HashAlgorithmName.SHA256, HashSize);
        return string.Join('$', Scheme, Iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    /// <param name="usedDecoy">True when <paramref name="storedHash"/> was missing or unusable and the decoy was verified instead.</param>
    public bool Verify(string password, string? storedHash, out bool usedDecoy)
    {
        var usable = TryParse(storedHash, out var iterations, out var salt, out var expected);
        usedDecoy = !usable;
        if (!usable)
            TryParse(_decoy.Value, out iterations, out salt, out expected);
        var actual = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected) && usable;
    }

    /// <summary>True for a usable hash made with fewer iterations than today's; login replaces it after a match.</summary>
    public bool NeedsRehash(string storedHash) =>
        TryParse(storedHash, out var iterations, out _, out _) && iterations < Iterations;

    private static bool TryParse(string? storedHash, out int iterations, out byte[] salt, out byte[] hash)
    {
        var parts = storedHash?.Split('$') ?? [];
        iterations = 0;
        salt = hash = [];
        if (parts.Length != 4 || parts[0] != Scheme || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out iterations) || iterations <= 0)
            return false;
        try
        {
            salt = Convert.FromBase64String(parts[2]);
            hash = Convert.FromBase64String(parts[3]);
            return hash.Length > 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
