using Federation.Gateway.Pipeline;
using Microsoft.Extensions.Logging;

namespace Federation.Gateway.Transport;

public sealed class CircuitBreakerOptions
{
    /// <summary>Consecutive transport failures (no GraphQL answer, timeout) that open the circuit; 0 disables the breaker.</summary>
    public int FailureThreshold { get; set; } = 5;

    /// <summary>How long an open circuit fails fast before one probe request may try the subgraph again.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);
}

public enum CircuitState
{
    Closed,
    Open,
    HalfOpen,
}

/// <summary>
/// One subgraph's breaker: closed until <see cref="CircuitBreakerOptions.FailureThreshold"/> consecutive failures, then
/// open (requests fail at once) for <see cref="CircuitBreakerOptions.BreakDuration"/>, then half-open: a single probe
/// decides whether it closes again or stays open for another break.
/// </summary>
/// <param name="subgraph">The subgraph named in the log when the circuit opens or closes again.</param>
/// <param name="replica">The replica's URL when the breaker guards one of several (<see cref="ReplicaSet"/>): the log says it was ejected.</param>
public sealed partial class CircuitBreaker(CircuitBreakerOptions options, TimeProvider time, string subgraph = "", ILogger? logger = null, string? replica = null)
{
    private readonly Lock _sync = new();
    private CircuitState _state = CircuitState.Closed;
    private int _failures;
    private DateTimeOffset _openedAt;
    private bool _probing;

    public CircuitState State
    {
        get
        {
            if (options.FailureThreshold <= 0)
            {
                return CircuitState.Closed;
            }

            lock (_sync)
            {
                return _state == CircuitState.Open && time.GetUtcNow() - _openedAt >= options.BreakDuration ? CircuitState.HalfOpen : _state;
            }
        }
    }

    /// <summary>Whether a request may go to the subgraph now; when true, report its outcome exactly once.</summary>
    public bool TryEnter()
    {
        if (options.FailureThreshold <= 0)
        {
            return true;
        }

        lock (_sync)
        {
            if (_state == CircuitState.Open && time.GetUtcNow() - _openedAt >= options.BreakDuration)
            {
                _state = CircuitState.HalfOpen;
            }

            switch (_state)
            {
                case CircuitState.Closed:
                    return true;
                case CircuitState.HalfOpen when !_probing:
                    _probing = true;
                    return true;
                default:
                    return false;
            }
        }
    }

    public void Succeeded()
    {
        CircuitState previous;
        lock (_sync)
        {
            previous = _state;
            _state = CircuitState.Closed;
            _failures = 0;
            _probing = false;
        }

        if (previous != CircuitState.Closed && options.FailureThreshold > 0 && logger is not null)
        {
            if (replica is null)
            {
                Closed(logger, subgraph);
            }
            else
            {
                Restored(logger, subgraph, replica);
            }
        }
    }

    public void Failed()
    {
        var opened = false;
        int failures;
        lock (_sync)
        {
            _probing = false;
            if (_state == CircuitState.HalfOpen || ++_failures >= options.FailureThreshold)
            {
                // A request sent before the circuit opened that fails afterwards restarts the break, silently.
                opened = _state != CircuitState.Open && options.FailureThreshold > 0;
                _state = CircuitState.Open;
                _openedAt = time.GetUtcNow();
            }

            failures = _failures;
        }

        if (opened)
        {
            GatewayTelemetry.CountCircuitOpened(subgraph);
            if (logger is not null && replica is null)
            {
                Opened(logger, subgraph, failures, options.BreakDuration);
            }
            else if (logger is not null)
            {
                Ejected(logger, subgraph, replica!, failures, options.BreakDuration);
            }
        }
    }

    /// <summary>The client gave up (request aborted): no verdict on the subgraph, so let the next request probe.</summary>
    public void Abandoned()
    {
        lock (_sync)
        {
            _probing = false;
        }
    }

    [LoggerMessage(20, LogLevel.Warning, "Circuit breaker for subgraph {Subgraph} opened after {Failures} consecutive failures: requests fail fast for {BreakDuration}")]
    private static partial void Opened(ILogger logger, string subgraph, int failures, TimeSpan breakDuration);

    [LoggerMessage(21, LogLevel.Information, "Circuit breaker for subgraph {Subgraph} closed again: a request to it succeeded")]
    private static partial void Closed(ILogger logger, string subgraph);

    [LoggerMessage(22, LogLevel.Warning, "Subgraph {Subgraph} replica {Replica} ejected after {Failures} consecutive failures: the other replicas serve, and the next request after {BreakDuration} probes it")]
    private static partial void Ejected(ILogger logger, string subgraph, string replica, int failures, TimeSpan breakDuration);

    [LoggerMessage(23, LogLevel.Information, "Subgraph {Subgraph} replica {Replica} is back: a request to it succeeded")]
    private static partial void Restored(ILogger logger, string subgraph, string replica);
}
