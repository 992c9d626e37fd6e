using System.Text.Json;
using Federation.Gateway.Transport;

namespace Federation.Gateway.Host;

/// <summary>
/// With <see cref="GatewayOptions.DeduplicateClientRequests"/>, identical client queries in flight at the same moment
/// (same query text, operation name, variables, extensions, forwarded headers and caller) share one execution and one
/// serialized answer. Anything that could be a mutation or a subscription always runs on its own.
/// </summary>
public sealed class SharedExecutions(GatewayEngine engine)
{
    private readonly SingleFlight<string, SharedAnswer> _inflight = new(StringComparer.Ordinal);

    /// <summary>Client requests answered by an execution another request had already started.</summary>
    public long Shared => _inflight.Shared;

    /// <summary>
    /// Whether a request may share: deduplication is on and its text cannot hold a mutation or subscription (the check is
    /// textual and conservative: a field merely named so opts the request out, never the other way round).
    /// </summary>
    public bool Applies(GatewayRequest request) =>
        engine.Options.DeduplicateClientRequests
        && request.Query is { Length: > 0 } query
        && !query.Contains("mutation", StringComparison.Ordinal)
        && !query.Contains("subscription", StringComparison.Ordinal);

    public Task<SharedAnswer> ExecuteAsync(GatewayRequest request, CancellationToken cancellationToken) =>
        _inflight.RunAsync(Key(request), shared => ExecuteSerializedAsync(request, shared), cancellationToken);

    private async Task<SharedAnswer> ExecuteSerializedAsync(GatewayRequest request, CancellationToken cancellationToken)
    {
        var result = await engine.ExecuteAsync(request, cancellationToken);
        using var body = BoundedResponse.Serialize(result, engine.Options.MaxResponseBytes);
        return new SharedAnswer(body.Status, result.NotExecuted, body.ToChunks());
    }

    private static string Key(GatewayRequest request) =>
        string.Join(
            '\u0001',
            request.Query,
            request.OperationName,
            request.Variables?.ToJsonString(),
            request.Extensions?.ToJsonString(),
            ForwardedHeaders.Canonical(request.Headers),
            // Another caller may see other data: callers never share an answer.
            request.Caller?.Key,
            request.IncludePlan ? "plan" : string.Empty,
            request.IncludeCost ? "cost" : string.Empty,
            // In allow-list mode only such a request may run an unlisted document: it never answers another.
            request.ArbitraryDocument ? "arbitrary" : string.Empty,
            request.ReadOnly ? "get" : "post");
}

/// <summary>One serialized engine answer, in chunks of at most 64 KB; its HTTP status still depends on each client's media type.</summary>
public sealed record SharedAnswer(int Status, bool NotExecuted, IReadOnlyList<byte[]> Body)
{
    public async Task WriteToAsync(Stream stream, CancellationToken cancellationToken)
    {
        foreach (var chunk in Body)
        {
            await stream.WriteAsync(chunk, cancellationToken);
        }
    }
}
