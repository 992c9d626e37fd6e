using Alerting.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Alerting.Rules;

/// <summary>
/// Evaluates the rules: those of the signals events asked for (<see cref="EvaluationRequests"/>) soon after they arrive,
/// and every rule on a timer, because a window also slides when nothing arrives and that is when a breach made of old
/// samples clears. The timer's sweep also drops samples no window holds.
/// </summary>
internal sealed partial class RuleSweeper(
    AlertingOptions options,
    IDbContextFactory<AlertingDbContext> contexts,
    RuleEvaluator evaluator,
    EvaluationRequests requests,
    ILogger<RuleSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var nextSweep = DateTimeOffset.UtcNow;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await requests.WaitAsync(nextSweep - DateTimeOffset.UtcNow, stoppingToken))
                {
                    // Lets the rest of a burst arrive, and the transaction of the event that asked commit its sample:
                    // a sample committed later still counts at the next sweep.
                    await Task.Delay(options.EventEvaluationDelay, stoppingToken);
                }

                var now = DateTimeOffset.UtcNow;
                var signals = requests.Drain();
                if (now >= nextSweep)
                {
                    nextSweep = now + options.EvaluationInterval;
                    await EvaluateAsync(null, now, stoppingToken);
                }
                else if (signals.Count > 0)
                {
                    await EvaluateAsync(signals, now, stoppingToken);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogEvaluationFailed(exception);
                // Not in a tight loop against a database that is down (EventEvaluationDelay may be zero).
                await Task.Delay(options.EvaluationInterval, stoppingToken);
            }
        }
    }

    /// <summary>The rules of <paramref name="signals"/>, or with <c>null</c> every rule and the samples' cleanup.</summary>
    private async Task EvaluateAsync(IReadOnlyList<string>? signals, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await evaluator.EvaluateAsync(db, signals, now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        if (signals is null)
        {
            await db.Database.ExecuteSqlAsync(
                $"""DELETE FROM samples WHERE observed_at < {now} - (SELECT coalesce(max("window"), interval '1 hour') FROM alert_rules)""",
                cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Evaluating the alert rules failed; retrying after the evaluation interval")]
    private partial void LogEvaluationFailed(Exception exception);
}
