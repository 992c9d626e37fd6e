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
public sealed class CircuitBreaker(CircuitBreakerOptions options, TimeProvider time)
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
        lock (_sync)
        {
            _state = CircuitState.Closed;
            _failures = 0;
            _probing = false;
        }
    }

    public void Failed()
    {
        lock (_sync)
        {
            _probing = false;
            if (_state == CircuitState.HalfOpen || ++_failures >= options.FailureThreshold)
            {
                _state = CircuitState.Open;
                _openedAt = time.GetUtcNow();
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
}
