using System.Collections.Concurrent;
using System.Text.Json;

namespace Federation.Gateway.Host;

/// <summary>
/// With <see cref="GatewayOptions.DeduplicateClientRequests"/>, identical client queries in flight at the same moment
/// (same query text, operation name, variables, extensions and forwarded headers) share one execution and one
/// serialized answer. Anything that could be a mutation or a subscription always runs on its own.
/// </summary>
public sealed class SharedExecutions(GatewayEngine engine)
{
    private readonly ConcurrentDictionary<string, Task<(int Status, byte[] Body)>> _inflight = new(StringComparer.Ordinal);
    private long _shared;

    /// <summary>Client requests answered by an execution another request had already started.</summary>
    public long Shared => Interlocked.Read(ref _shared);

    /// <summary>
    /// Whether a request may share: deduplication is on and its text cannot hold a mutation or subscription (the check is
    /// textual and conservative: a field merely named so opts the request out, never the other way round).
    /// </summary>
    public bool Applies(GatewayRequest request) =>
        engine.Options.DeduplicateClientRequests
        && request.Query is { Length: > 0 } query
        && !query.Contains("mutation", StringComparison.Ordinal)
        && !query.Contains("subscription", StringComparison.Ordinal);

    public async Task<(int Status, byte[] Body)> ExecuteAsync(GatewayRequest request, CancellationToken cancellationToken)
    {
        var key = Key(request);
        Task<(int Status, byte[] Body)> execution;
        while (true)
        {
            if (_inflight.TryGetValue(key, out var existing))
            {
                Interlocked.Increment(ref _shared);
                execution = existing;
                break;
            }

            var started = new TaskCompletionSource<(int, byte[])>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_inflight.TryAdd(key, started.Task))
            {
                execution = started.Task;
                _ = LeadAsync(key, request, started);
                break;
            }
        }

        return await execution.WaitAsync(cancellationToken);
    }

    private async Task LeadAsync(string key, GatewayRequest request, TaskCompletionSource<(int, byte[])> started)
    {
        (int, byte[]) answer = default;
        Exception? failure = null;
        try
        {
            // Shared by every waiting client, so no single client's disconnect cancels it.
            var result = await engine.ExecuteAsync(request, CancellationToken.None);
            answer = (result.StatusCode, JsonSerializer.SerializeToUtf8Bytes(result.Body));
        }
        catch (Exception e)
        {
            failure = e;
        }

        _inflight.TryRemove(new KeyValuePair<string, Task<(int Status, byte[] Body)>>(key, started.Task));
        if (failure is null)
        {
            started.SetResult(answer);
        }
        else
        {
            started.SetException(failure);
        }
    }

    private static string Key(GatewayRequest request)
    {
        var headers = request.Headers is null or { Count: 0 }
            ? string.Empty
            : string.Join('\n', request.Headers.OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase).Select(h => h.Key.ToLowerInvariant() + ":" + h.Value));
        return string.Join(
            '\u0001',
            request.Query,
            request.OperationName,
            request.Variables?.ToJsonString(),
            request.Extensions?.ToJsonString(),
            headers,
            request.IncludePlan ? "plan" : string.Empty,
            request.ReadOnly ? "get" : "post");
    }
}
