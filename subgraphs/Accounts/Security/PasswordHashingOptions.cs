using System.Globalization;

namespace Accounts.Security;

/// <summary>
/// <c>PasswordHashing:Iterations</c>: the PBKDF2 count new hashes get, <see cref="PasswordHasher.DefaultIterations"/>
/// unless set. Lower counts are refused unless <c>PasswordHashing:TestOnlyWeakIterations</c> is also set, which only the
/// test fixtures do: their stacks register and sign in users by the hundred on two shared cores.
/// </summary>
public sealed class PasswordHashingOptions
{
    public const string Section = "PasswordHashing";

    /// <summary>The lowest count even a test stack may ask for.</summary>
    public const int TestMinimumIterations = 1_000;

    public int Iterations { get; set; } = PasswordHasher.DefaultIterations;

    public bool TestOnlyWeakIterations { get; set; }

    /// <summary>The iteration count, or an exception naming the rule it breaks.</summary>
    public int ValidIterations() =>
        Iterations >= PasswordHasher.DefaultIterations || (TestOnlyWeakIterations && Iterations >= TestMinimumIterations)
            ? Iterations
            : throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"PasswordHashing:Iterations is {Iterations}: it must be at least {PasswordHasher.DefaultIterations:N0} (OWASP, PBKDF2-HMAC-SHA256). " +
                $"Test stacks may go down to {TestMinimumIterations:N0} with PasswordHashing:TestOnlyWeakIterations=true."));
}
