using Microsoft.Extensions.Logging;

namespace Federation.Gateway.Transport;

/// <summary>One replica of a subgraph (config <c>Subgraphs:&lt;name&gt;:Urls</c>) and the breaker that ejects it.</summary>
public sealed class Replica(Uri url, CircuitBreaker breaker)
{
    public Uri Url { get; } = url;

    public CircuitBreaker Breaker { get; } = breaker;
}

/// <summary>
/// The replicas of one subgraph. Requests take turns over the healthy ones; a replica fails
/// <see cref="CircuitBreakerOptions.FailureThreshold"/> times in a row and is ejected for
/// <see cref="CircuitBreakerOptions.BreakDuration"/>, after which one read probes it back while the others keep serving.
/// Only reads probe: a mutation goes to an ejected replica only when no replica is healthy, as it would with one URL.
/// </summary>
public sealed class ReplicaSet
{
    private readonly Replica[] _replicas;
    private int _next = -1;

    public ReplicaSet(string subgraph, IReadOnlyList<Uri> urls, CircuitBreakerOptions options, TimeProvider time, ILogger? logger)
    {
        _replicas = urls.Select(url => new Replica(url, new CircuitBreaker(options, time, subgraph, logger, url.ToString()))).ToArray();
    }

    public IReadOnlyList<Replica> Replicas => _replicas;

    /// <summary>Closed while any replica is, half-open while one may be probed, open when every replica is ejected.</summary>
    public CircuitState State
    {
        get
        {
            var states = _replicas.Select(r => r.Breaker.State).ToList();
            return states.Contains(CircuitState.Closed) ? CircuitState.Closed
                : states.Contains(CircuitState.HalfOpen) ? CircuitState.HalfOpen
                : CircuitState.Open;
        }
    }

    /// <summary>
    /// The replica the next attempt goes to, entered into its breaker (report the outcome to it exactly once), or null when
    /// every replica but <paramref name="exclude"/> is ejected.
    /// </summary>
    /// <param name="read">Whether the request may be sent twice: only reads probe an ejected replica while others are healthy.</param>
    /// <param name="exclude">The replica an earlier attempt of this request failed on.</param>
    public Replica? Enter(bool read, Replica? exclude)
    {
        var start = (int)((uint)Interlocked.Increment(ref _next) % (uint)_replicas.Length);
        if (read)
        {
            // A probe goes first: its break is over, and if it fails the read is sent again to a healthy replica.
            foreach (var replica in InTurn(start, exclude))
            {
                if (replica.Breaker.State == CircuitState.HalfOpen && replica.Breaker.TryEnter())
                {
                    return replica;
                }
            }
        }

        foreach (var replica in InTurn(start, exclude))
        {
            if (replica.Breaker.State == CircuitState.Closed && replica.Breaker.TryEnter())
            {
                return replica;
            }
        }

        foreach (var replica in InTurn(start, exclude))
        {
            if (replica.Breaker.TryEnter())
            {
                return replica;
            }
        }

        return null;
    }

    private IEnumerable<Replica> InTurn(int start, Replica? exclude)
    {
        for (var i = 0; i < _replicas.Length; i++)
        {
            var replica = _replicas[(start + i) % _replicas.Length];
            if (!ReferenceEquals(replica, exclude))
            {
                yield return replica;
            }
        }
    }
}
