using System.Runtime.CompilerServices;
using Federation.Subgraph.Seeding;

namespace Subgraph.Tests;

public sealed class SeedClockTests
{
    private static readonly DateTimeOffset Clock = new(2026, 11, 30, 23, 51, 42, 123, TimeSpan.Zero);

    [Fact]
    public void Parse_Should_KeepWrittenDates_When_Fixed()
    {
        Assert.True(SeedClock.Parse("fixed", () => Clock).IsFixed);
    }

    [Fact]
    public void Parse_Should_UseTheGivenInstant_When_Iso8601()
    {
        var (isFixed, now) = SeedClock.Parse("2026-11-30T23:55:00Z", () => Clock);

        Assert.False(isFixed);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 23, 55, 0, TimeSpan.Zero), now);
    }

    [Fact]
    public void Parse_Should_UseTheClockToTheMinute_When_Unset()
    {
        var (isFixed, now) = SeedClock.Parse(null, () => Clock);

        Assert.False(isFixed);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 23, 51, 0, TimeSpan.Zero), now);
    }

    [Fact]
    public void Parse_Should_Refuse_When_NeitherInstantNorFixed()
    {
        var error = Assert.Throws<InvalidOperationException>(() => SeedClock.Parse("yesterday", () => Clock));
        Assert.Contains("FEDERATION_SEED_NOW", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SeedPlan_Should_KeepWrittenDates_When_TestsRun()
    {
        // Federation.Testing sets FEDERATION_SEED_NOW=fixed for test processes and the subgraphs they start, when it loads.
        RuntimeHelpers.RunModuleConstructor(typeof(Federation.Testing.TestOutput).Module.ModuleHandle);
        Assert.True(SeedClock.IsFixed);
        Assert.Equal(SeedPlan.FixedFirstOrderAt, SeedPlan.FirstOrderAt);
        // Orders follow one another 60 to 660 minutes apart from the first order's date.
        Assert.InRange(SeedPlan.Orders[0].PlacedAt, SeedPlan.FixedFirstOrderAt.AddMinutes(60), SeedPlan.FixedFirstOrderAt.AddMinutes(660));
        Assert.Equal(SeedPlan.FixedHistoryEnd, SeedPlan.Orders[^1].PlacedAt.AddMinutes(15));
    }
}
