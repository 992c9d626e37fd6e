namespace Alerting.Rules;

/// <summary>
/// The signals whose rules are due because an event of theirs arrived. Consumers only record the event's sample and ask;
/// <see cref="RuleSweeper"/> evaluates what was asked in one transaction at most every
/// <see cref="AlertingOptions.EventEvaluationDelay"/>, so a burst of a thousand events costs a few evaluations, not a thousand.
/// </summary>
public sealed class EvaluationRequests
{
    private readonly HashSet<string> signals = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim requested = new(0, 1);

    public void Request(string signal)
    {
        lock (signals)
        {
            if (!signals.Add(signal) || signals.Count > 1)
                return;
        }

        // The first signal of a batch wakes the sweeper; the set stays non-empty until it drains it.
        try
        {
            requested.Release();
        }
        catch (SemaphoreFullException)
        {
        }
    }

    /// <summary>True when a request arrived within <paramref name="timeout"/>.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        requested.WaitAsync(timeout < TimeSpan.Zero ? TimeSpan.Zero : timeout, cancellationToken);

    public IReadOnlyList<string> Drain()
    {
        lock (signals)
        {
            var drained = signals.ToList();
            signals.Clear();
            return drained;
        }
    }
}
