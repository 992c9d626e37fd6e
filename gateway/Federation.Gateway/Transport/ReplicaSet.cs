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
/// <see cref="CircuitBreakerOptions.BreakDuration"/>, after which the next request probes it (one at a time) while the
/// others keep serving. A probe that cannot connect costs nothing: the request goes to a healthy replica, a mutation
/// too, since no replica saw it (<see cref="SubgraphException.NotSent"/>).
/// </summary>
public sealed class ReplicaSet
{
    private readonly string _subgraph;
    private readonly Replica[] _replicas;
    private int _next = -1;

    public ReplicaSet(string subgraph, IReadOnlyList<Uri> urls, CircuitBreakerOptions options, TimeProvider time, ILogger? logger)
    {
        _subgraph = subgraph;
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
    /// <param name="exclude">The replica an earlier attempt of this request failed on.</param>
    public Replica? Enter(Replica? exclude)
    {
        var start = (int)((uint)Interlocked.Increment(ref _next) % (uint)_replicas.Length);

        // A probe goes first: its break is over, and only one request at a time is let through (TryEnter).
        foreach (var replica in InTurn(start, exclude))
        {
            if (replica.Breaker.State == CircuitState.HalfOpen && replica.Breaker.TryEnter())
            {
                return replica;
            }
        }

        foreach (var replica in InTurn(start, exclude))
        {
            if (replica.Breaker.State == CircuitState.Closed && replica.Breaker.TryEnter())
            {
                return replica;
            }
        }

        return null;
    }

    /// <summary>
    /// The replica an attempt goes to, entered into its breaker: for a repeat, another than <paramref name="failed"/>
    /// while one is healthy, else that one again. Throws <see cref="SubgraphException"/> when every replica is ejected.
    /// </summary>
    public Replica Next(Replica? failed) =>
        (failed is null ? Enter(null) : Enter(failed) ?? Enter(null))
        ?? throw new SubgraphException($"Subgraph \"{_subgraph}\" is unavailable: every one of its {_replicas.Length} replicas is ejected after repeated failures.");

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
