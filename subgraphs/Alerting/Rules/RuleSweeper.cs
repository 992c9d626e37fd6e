using Alerting.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Alerting.Rules;

/// <summary>
/// Evaluates every rule on a timer: events only evaluate their own signal's rules when they arrive, but a window also
/// slides when nothing arrives, and that is when a breach made of old samples clears. Also drops samples no window holds.
/// </summary>
internal sealed partial class RuleSweeper(
    AlertingOptions options,
    IDbContextFactory<AlertingDbContext> contexts,
    RuleEvaluator evaluator,
    ILogger<RuleSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.EvaluationInterval);
        do
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogSweepFailed(exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await evaluator.EvaluateAsync(db, null, now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync(
            $"DELETE FROM samples WHERE observed_at < {now} - (SELECT coalesce(max(window), interval '1 hour') FROM alert_rules)",
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Evaluating the alert rules failed; retrying at the next interval")]
    private partial void LogSweepFailed(Exception exception);
}
