using System.Globalization;

namespace Federation.Subgraph.Seeding;

/// <summary>
/// When the seeded history happened. The seeds describe a fixed history (orders from 2025-06-01 on, catalog from
/// 2026-01-01, ...); unless told to keep those dates, every seed moves it as a whole so that it ends at the moment
/// the stack is seeded, and a fresh stack's time windows (last 60 minutes, today, this week) have history.
/// Only the dates move: ids, amounts, who bought what and the order of events stay the same on every machine.
/// <para><c>FEDERATION_SEED_NOW</c>: an ISO 8601 instant (what <c>./federation up</c> passes every service, the same
/// for all, so their histories line up), <c>fixed</c> (the dates as written, which the tests compare against), or
/// unset (this process's clock at first use, to the minute).</para>
/// </summary>
public static class SeedClock
{
    public const string Variable = "FEDERATION_SEED_NOW";
    public const string FixedValue = "fixed";

    private static readonly Lazy<(bool IsFixed, DateTimeOffset Now)> Setting =
        new(() => Parse(Environment.GetEnvironmentVariable(Variable), () => DateTimeOffset.UtcNow));

    /// <summary>Whether the fixed dates are kept as written.</summary>
    public static bool IsFixed => Setting.Value.IsFixed;

    /// <summary>The seeding moment: where the moved history ends (the fixed history's end when <see cref="IsFixed"/>).</summary>
    public static DateTimeOffset Now => Setting.Value.IsFixed ? SeedPlan.FixedHistoryEnd : Setting.Value.Now;

    /// <summary>A date of the shared order history (and what follows from it) as seeded.</summary>
    public static DateTimeOffset Shift(DateTimeOffset fixedDate) => Shift(fixedDate, SeedPlan.FixedHistoryEnd);

    /// <summary>A date of a history that ends at <paramref name="fixedEnd"/> as written, moved to end now.</summary>
    public static DateTimeOffset Shift(DateTimeOffset fixedDate, DateTimeOffset fixedEnd) =>
        IsFixed ? fixedDate : fixedDate + (Setting.Value.Now - fixedEnd);

    /// <summary>A moved date that must not be later than the seeding moment (a review written days after a recent purchase).</summary>
    public static DateTimeOffset NotAfterNow(DateTimeOffset seeded) =>
        IsFixed || seeded <= Now ? seeded : Now;

    public static (bool IsFixed, DateTimeOffset Now) Parse(string? value, Func<DateTimeOffset> clock)
    {
        if (string.Equals(value, FixedValue, StringComparison.Ordinal))
            return (true, default);
        if (string.IsNullOrWhiteSpace(value))
        {
            var now = clock();
            return (false, new DateTimeOffset(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerMinute, TimeSpan.Zero));
        }
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var given))
            return (false, given);
        throw new InvalidOperationException($"{Variable}='{value}' is neither an ISO 8601 instant nor '{FixedValue}'.");
    }
}
