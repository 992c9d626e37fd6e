using System.Collections.Concurrent;

namespace Federation.Gateway.Transport;

/// <summary>
/// Identical work in flight at the same moment runs once: the first caller for a key starts it, callers arriving while it
/// runs await the same run, and once it finishes the next caller starts anew. Serves the subgraph client's shared reads
/// and the host's shared client executions.
/// </summary>
public sealed class SingleFlight<TKey, TValue>(IEqualityComparer<TKey>? comparer = null)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Task<TValue>> _inflight = new(comparer);
    private long _shared;

    /// <summary>Callers answered by a run another caller had already started.</summary>
    public long Shared => Interlocked.Read(ref _shared);

    /// <param name="run">
    /// Started without any caller's cancellation token: the run belongs to every waiting caller, so a caller that gives up
    /// stops waiting, not the run.
    /// </param>
    public Task<TValue> RunAsync(TKey key, Func<Task<TValue>> run, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_inflight.TryGetValue(key, out var existing))
            {
                Interlocked.Increment(ref _shared);
                return existing.WaitAsync(cancellationToken);
            }

            var started = new TaskCompletionSource<TValue>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_inflight.TryAdd(key, started.Task))
            {
                _ = LeadAsync(key, started, run);
                return started.Task.WaitAsync(cancellationToken);
            }
        }
    }

    private async Task LeadAsync(TKey key, TaskCompletionSource<TValue> started, Func<Task<TValue>> run)
    {
        TValue answer = default!;
        Exception? failure = null;
        try
        {
            answer = await run();
        }
        catch (Exception e)
        {
            failure = e;
        }

        // Leave the table first: a caller arriving from now on starts its own run.
        _inflight.TryRemove(new KeyValuePair<TKey, Task<TValue>>(key, started.Task));
        if (failure is null)
        {
            started.SetResult(answer);
        }
        else
        {
            started.SetException(failure);
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
