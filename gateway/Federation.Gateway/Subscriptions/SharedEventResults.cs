using System.Collections.Concurrent;
using Federation.Gateway.Pipeline;
using Federation.Gateway.Transport;

namespace Federation.Gateway.Subscriptions;

/// <summary>
/// One Kafka event reaches every subscriber of its topic at once; subscribers with the same operation, variables,
/// forwarded headers and caller rights would resolve it to the same answer. The first to get there resolves it, the
/// others wait for that run and get a copy, and the answer is kept <see cref="Retention"/> after it is ready for
/// subscribers whose pumps come later. Events of a subgraph's own stream (no event id) and current states are never shared.
/// </summary>
internal sealed class SharedEventResults(TimeProvider time)
{
    private static readonly TimeSpan Retention = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, Lazy<Task<GatewayResult>>> _results = new(StringComparer.Ordinal);

    private long _shared;

    /// <summary>Answers shared rather than resolved again.</summary>
    public long Shared => Interlocked.Read(ref _shared);

    /// <param name="run">Resolves the event, on a deadline of its own: no one subscriber leaving may cancel it for the others.</param>
    public async Task<GatewayResult> GetAsync(RequestContext subscription, SourceEvent item, Func<Task<GatewayResult>> run)
    {
        var key = Key(subscription, item);
        var created = false;
        var shared = _results.GetOrAdd(key, _ =>
        {
            created = true;
            return new Lazy<Task<GatewayResult>>(() => RunAsync(key, run));
        });
        if (!created)
        {
            Interlocked.Increment(ref _shared);
        }

        var result = await shared.Value;
        return result with { Body = result.Body.DeepClone().AsObject() };
    }

    private async Task<GatewayResult> RunAsync(string key, Func<Task<GatewayResult>> run)
    {
        try
        {
            return await run();
        }
        finally
        {
            _ = ForgetLaterAsync(key);
        }
    }

    private async Task ForgetLaterAsync(string key)
    {
        await Task.Delay(Retention, time);
        _results.TryRemove(key, out _);
    }

    private static string Key(RequestContext subscription, SourceEvent item)
    {
        var request = subscription.Request;
        return string.Join(
            '\u0001',
            item.EventId,
            item.Answer.ToJsonString(),
            request.Query,
            request.OperationName,
            request.Variables?.ToJsonString(),
            ForwardedHeaders.Canonical(request.Headers),
            // Another caller may see other data: callers never share an answer.
            request.Caller?.Key,
            request.IncludeCost ? "cost" : string.Empty);
    }
}
