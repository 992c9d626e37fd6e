using System.Collections.Concurrent;

namespace Federation.Gateway.Transport;

/// <summary>
/// Identical work in flight at the same moment runs once: the first caller for a key starts it, callers arriving while it
/// runs await the same run, and once it finishes the next caller starts anew. A run is cancelled when every caller waiting
/// for it has given up, and not before. Serves the subgraph client's shared reads and the host's shared client executions.
/// </summary>
public sealed class SingleFlight<TKey, TValue>(IEqualityComparer<TKey>? comparer = null)
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

            var flight = new Flight();
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
            return await flight.Answer.WaitAsync(cancellationToken);
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
    private sealed class Flight
    {
        private readonly Lock _gate = new();
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

        public void Complete(TValue answer, Exception? failure)
        {
            lock (_gate)
            {
                _completed = true;
            }

            if (failure is null)
            {
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
    public static string Canonical(IReadOnlyDictionary<string, string>? headers) =>
        headers is null or { Count: 0 }
            ? string.Empty
            : string.Join('\n', headers.OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase).Select(h => h.Key.ToLowerInvariant() + ":" + h.Value));
}
