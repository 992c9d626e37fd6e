using Federation.Testing.Processes;
using Federation.Testing.Servers;

namespace Federation.Testing.Subgraphs;

/// <summary>
/// What the accounts subgraph needs besides its database to start: a folder holding a token signing key, made by
/// its own <c>keys generate</c> command as <c>./federation up</c> does (no key is committed), and Redis, where
/// it counts login attempts. Test stacks also hash passwords with <see cref="PasswordIterations"/> PBKDF2 rounds
/// instead of production's 600,000 (each register, login and failed login costs one hash; at 600,000 that is ~0.3 s of
/// CPU, and the suites make hundreds on two cores); Accounts.Tests checks the production count on a process without it.
/// </summary>
public static class AccountsSettings
{
    public const int PasswordIterations = 10_000;

    /// <summary>
    /// A fresh key folder (swept with the test run's other folders), <paramref name="redisConnectionString"/> and the
    /// test-only password hashing rounds.
    /// </summary>
    public static async Task<Dictionary<string, string?>> CreateAsync(string redisConnectionString)
    {
        var keys = TestDirectories.Create("accounts-keys");
        await GenerateKeyAsync(keys);
        return new Dictionary<string, string?>
        {
            ["Jwt__KeysPath"] = keys,
            ["ConnectionStrings__Redis"] = redisConnectionString,
            ["PasswordHashing__Iterations"] = PasswordIterations.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PasswordHashing__TestOnlyWeakIterations"] = "true",
        };
    }

    /// <summary>Runs <c>Accounts.dll keys generate <paramref name="folder"/></c> and returns the new key file.</summary>
    public static async Task<string> GenerateKeyAsync(string folder)
    {
        await using var child = ChildProcess.Start("accounts keys generate", "dotnet", [SubgraphProcess.AssemblyPath("Accounts"), "keys", "generate", folder]);
        var exit = await child.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return exit == 0 ? child.StandardOutputLines.Single() : throw new InvalidOperationException($"keys generate exited with {exit}:\n{child.OutputTail()}");
    }
}
