using System.Collections.Concurrent;

namespace Federation.Gateway.Transport;

/// <summary>
/// Identical work in flight at the same moment runs once: the first caller for a key starts it, callers arriving while it
/// runs await the same run, and once it finishes the next caller starts anew. A run is cancelled when every caller waiting
/// for it has given up, and not before. Serves the subgraph client's shared reads and the host's shared client executions.
/// </summary>
/// <param name="copy">
/// For answers their callers change: every caller but one gets a copy, made when the run finishes, before any caller has
/// the answer (so a caller alone with its run gets the answer itself, at no cost). Null: all callers get the same answer.
/// </param>
public sealed class SingleFlight<TKey, TValue>(IEqualityComparer<TKey>? comparer = null, Func<TValue, TValue>? copy = null)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Flight> _inflight = new(comparer);
    private long _shared;

    /// <summary>Callers answered by a run another caller had already started.</summary>
    public long Shared => Interlocked.Read(ref _shared);

    /// <param name="key">What makes two pieces of work identical.</param>
    /// <param name="run">
    /// Gets the run's own token, not any caller's: it is cancelled once the last waiting caller has given up, so a caller
    /// that leaves while others still wait stops only its own waiting.
    /// </param>
    /// <param name="cancellationToken">This caller giving up.</param>
    public Task<TValue> RunAsync(TKey key, Func<CancellationToken, Task<TValue>> run, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_inflight.TryGetValue(key, out var existing))
            {
                if (existing.TryJoin())
                {
                    Interlocked.Increment(ref _shared);
                    return WaitAsync(key, existing, cancellationToken);
                }

                // Abandoned by all its callers and being cancelled: it answers nobody from now on.
                _inflight.TryRemove(new KeyValuePair<TKey, Flight>(key, existing));
                continue;
            }

            var flight = new Flight(copy);
            if (_inflight.TryAdd(key, flight))
            {
                _ = LeadAsync(key, flight, run);
                return WaitAsync(key, flight, cancellationToken);
            }
        }
    }

    private async Task<TValue> WaitAsync(TKey key, Flight flight, CancellationToken cancellationToken)
    {
        try
        {
            await flight.Answer.WaitAsync(cancellationToken);
            return flight.Take();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Left here rather than in a token registration: the await may resume inside Cancel() itself, and disposing
            // a registration whose callback has not run yet drops the callback.
            if (flight.TryAbandon())
            {
                _inflight.TryRemove(new KeyValuePair<TKey, Flight>(key, flight));
                flight.Cancel();
            }

            throw;
        }
    }

    private async Task LeadAsync(TKey key, Flight flight, Func<CancellationToken, Task<TValue>> run)
    {
        TValue answer = default!;
        Exception? failure = null;
        try
        {
            answer = await run(flight.Token);
        }
        catch (Exception e)
        {
            failure = e;
        }

        // Leave the table first: a caller arriving from now on starts its own run.
        _inflight.TryRemove(new KeyValuePair<TKey, Flight>(key, flight));
        flight.Complete(answer, failure);
    }

    /// <summary>One shared run and the callers still waiting for it.</summary>
    /// <remarks>Its token source has no timer and is never linked, so it holds nothing to dispose.</remarks>
    private sealed class Flight(Func<TValue, TValue>? copy)
    {
        private readonly Lock _gate = new();
        // The answer and, with a copy function, one copy for every other caller waiting when the run finished.
        private TValue[] _answers = [];
        private int _taken;
        private readonly CancellationTokenSource _cancellation = new();
        private readonly TaskCompletionSource<TValue> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
        // Zero once every caller has given up: the run is being cancelled and takes no one new.
        private int _waiters = 1;
        private bool _completed;

        public Task<TValue> Answer => _answer.Task;

        public CancellationToken Token => _cancellation.Token;

        public bool TryJoin()
        {
            lock (_gate)
            {
                if (_waiters == 0 || _completed)
                {
                    return false;
                }

                _waiters++;
                return true;
            }
        }

        /// <summary>One caller gave up; true when it was the last one of a run still going.</summary>
        public bool TryAbandon()
        {
            lock (_gate)
            {
                return --_waiters == 0 && !_completed;
            }
        }

        public void Cancel()
        {
            _cancellation.Cancel();
            // Nobody waits for the answer any more: a cancelled task raises no unobserved exception later.
            _answer.TrySetCanceled(_cancellation.Token);
        }

        /// <summary>This caller's answer: the run's own for the first caller to take one, a copy for the others.</summary>
        public TValue Take()
        {
            var answers = _answers;
            var index = Interlocked.Increment(ref _taken) - 1;
            // No caller joins a completed run, so there is an answer (or copy) for every caller that takes one; a copy made
            // now could see the original while its taker changes it.
            return copy is null ? answers[0]
                : index < answers.Length ? answers[index]
                : throw new InvalidOperationException("More callers took a shared answer than were waiting for it.");
        }

        public void Complete(TValue answer, Exception? failure)
        {
            int waiters;
            lock (_gate)
            {
                _completed = true;
                waiters = _waiters;
            }

            if (failure is null)
            {
                // Copied before anyone has the answer: the caller taking the original may change it at once. No caller
                // joins a completed run, so the count is final; one that gives up now leaves a copy unused.
                var answers = new TValue[copy is null ? 1 : Math.Max(1, waiters)];
                answers[0] = answer;
                for (var i = 1; i < answers.Length; i++)
                {
                    answers[i] = copy!(answer);
                }

                _answers = answers;
                _answer.TrySetResult(answer);
            }
            else
            {
                _answer.TrySetException(failure);
            }
        }
    }
}

/// <summary>Forwarded client headers as one canonical string (names lower-cased, sorted), for keys of shared work.</summary>
public static class ForwardedHeaders
{
    /// <remarks>Runs for every subgraph call with deduplication on (the internal token is a header), so without LINQ.</remarks>
    public static string Canonical(IReadOnlyDictionary<string, string>? headers)
    {
        if (headers is null or { Count: 0 })
        {
            return string.Empty;
        }

        var entries = new KeyValuePair<string, string>[headers.Count];
        var n = 0;
        foreach (var header in headers)
        {
            entries[n++] = header;
        }

        Array.Sort(entries, static (a, b) => StringComparer.OrdinalIgnoreCase.Compare(a.Key, b.Key));
        var text = new System.Text.StringBuilder();
        for (var i = 0; i < entries.Length; i++)
        {
            if (i > 0)
            {
                text.Append('\n');
            }

            text.Append(entries[i].Key.ToLowerInvariant()).Append(':').Append(entries[i].Value);
        }

        return text.ToString();
    }
}
