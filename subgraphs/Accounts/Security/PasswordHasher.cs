using System.Globalization;
using System.Security.Cryptography;

namespace Accounts.Security;

/// <summary>
/// PBKDF2-HMAC-SHA256 with a random 16-byte salt per password. The iteration count is stored with the
/// hash (<c>pbkdf2-sha256$iterations$salt$hash</c>), so it can be raised later without breaking old hashes.
/// </summary>
public static class PasswordHasher
{
    public const int Iterations = 100_000;
    private const string Scheme = "pbkdf2-sha256";
    private const int SaltSize = 16;
    private const int HashSize = 32;

    // Verified against when the email is unknown, so a failed login costs the same either way.
    private static readonly Lazy<string> Decoy = new(() => Hash(Guid.NewGuid().ToString()));

    public static string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltSize);
        var hash = Rfc2898DeriveBytes.Pbkdf2(password, salt, Iterations, HashAlgorithmName.SHA256, HashSize);
        return string.Join('$', Scheme, Iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    public static bool Verify(string password, string? storedHash)
    {
        var parts = (storedHash ?? Decoy.Value).Split('$');
        if (parts.Length != 4 || parts[0] != Scheme || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations))
            return false;
        var salt = Convert.FromBase64String(parts[2]);
        var expected = Convert.FromBase64String(parts[3]);
        var actual = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected) && storedHash is not null;
    }
}
