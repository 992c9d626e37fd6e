using System.Runtime.CompilerServices;

namespace Federation.Testing;

/// <summary>
/// Tests compare seeded data against the seed plan, dates included: every test process, and every subgraph it starts
/// (they inherit its environment), seeds the history at its written dates (FEDERATION_SEED_NOW=fixed) rather than
/// moved to the moment of seeding, which would differ between the test process and each subgraph it starts.
/// </summary>
internal static class SeedClockSetting
{
    // A module initializer, and called again by FederationTestFramework, which every test project declares: it must run
    // before anything reads the seed plan, and a module initializer runs only when this assembly is first touched.
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void KeepWrittenSeedDates()
    {
        if (Environment.GetEnvironmentVariable("FEDERATION_SEED_NOW") is null)
            Environment.SetEnvironmentVariable("FEDERATION_SEED_NOW", "fixed");
    }
}
