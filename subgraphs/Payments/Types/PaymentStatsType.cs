using GraphQL;
using GraphQL.Types;
using Microsoft.EntityFrameworkCore;
using Payments.Data;

namespace Payments.Types;

public sealed record PaymentStats(int Minutes, int Succeeded, int Failed, decimal SucceededAmount, decimal FailedAmount)
{
    public const int DefaultMinutes = 60;
    public const int MaxMinutes = 43_200;

    /// <summary>Failed / (succeeded + failed), rounded to four places (0.0125 is 1.25 %); null when there was no payment.</summary>
    public double? FailureRate => Succeeded + Failed == 0 ? null : Math.Round((double)Failed / (Succeeded + Failed), 4, MidpointRounding.AwayFromZero);

    public static int ValidateMinutes(int minutes) => minutes is >= 1 and <= MaxMinutes
        ? minutes
        : throw new ExecutionError($"'minutes' must be between 1 and {MaxMinutes}.") { Code = "BAD_USER_INPUT" };

    public static async Task<PaymentStats> LoadAsync(PaymentsDbContext db, int minutes, CancellationToken cancellationToken)
    {
        var since = DateTimeOffset.UtcNow.AddMinutes(-minutes);
        // Grouping on a constant folds both statuses into one aggregate row: a single statement, no row transfer.
        var row = await db.Payments
            .Where(p => p.CreatedAt >= since)
            .GroupBy(_ => 1)
            .Select(g => new
            {
                Succeeded = g.Count(p => p.Status == PaymentStatus.Succeeded),
                Failed = g.Count(p => p.Status == PaymentStatus.Failed),
                SucceededAmount = g.Where(p => p.Status == PaymentStatus.Succeeded).Sum(p => p.Amount),
                FailedAmount = g.Where(p => p.Status == PaymentStatus.Failed).Sum(p => p.Amount),
            })
            .SingleOrDefaultAsync(cancellationToken);
        return row is null
            ? new PaymentStats(minutes, 0, 0, 0m, 0m)
            : new PaymentStats(minutes, row.Succeeded, row.Failed, row.SucceededAmount, row.FailedAmount);
    }
}

public sealed class PaymentStatsType : ObjectGraphType<PaymentStats>
{
    public PaymentStatsType()
    {
        Name = "PaymentStats";
        Description = "Payments charged in the last N minutes, by outcome.";
        Field(s => s.Minutes).Description("The window's length in minutes.");
        Field(s => s.Succeeded);
        Field(s => s.Failed);
        Field<NonNullGraphType<FloatGraphType>>("succeededAmount").Description("Sum charged successfully, in USD.").Resolve(ctx => (double)ctx.Source.SucceededAmount);
        Field<NonNullGraphType<FloatGraphType>>("failedAmount").Description("Sum of declined charges, in USD.").Resolve(ctx => (double)ctx.Source.FailedAmount);
        Field<FloatGraphType>("failureRate").Description("failed / (succeeded + failed), 0 to 1, rounded to four places; null when there was no payment in the window.").Resolve(ctx => ctx.Source.FailureRate);
    }
}
