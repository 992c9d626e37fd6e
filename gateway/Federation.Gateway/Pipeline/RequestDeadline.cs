namespace Federation.Gateway.Pipeline;

/// <summary>
/// The time a whole request may take (<see cref="GatewayOptions.RequestTimeout"/>), linked with the client's own
/// cancellation (it went away). Its token reaches every subgraph call, so neither cause leaves a fetch running.
/// </summary>
public sealed class RequestDeadline : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly CancellationToken _client;

    /// <param name="limit">Zero or less: no deadline of its own, only the client's cancellation.</param>
    public RequestDeadline(TimeSpan limit, CancellationToken client)
    {
        Limit = limit;
        _client = client;
        _source = CancellationTokenSource.CreateLinkedTokenSource(client);
        if (limit > TimeSpan.Zero)
        {
            _source.CancelAfter(limit);
        }
    }

    public TimeSpan Limit { get; }

    public CancellationToken Token => _source.Token;

    /// <summary>The deadline ended the request, not the client.</summary>
    public bool HasPassed => _source.IsCancellationRequested && !_client.IsCancellationRequested;

    public string Describe(string subgraph) =>
        $"Subgraph \"{subgraph}\" had not answered when the request's deadline of {Limit.TotalSeconds:0.###} s passed.";

    public void Dispose() => _source.Dispose();
}
