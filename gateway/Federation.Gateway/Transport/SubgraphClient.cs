using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Federation.Gateway.Pipeline;
using Microsoft.Extensions.Logging;

namespace Federation.Gateway.Transport;

/// <summary>Sends GraphQL requests to subgraphs over one pooled keep-alive connection set per subgraph.</summary>
/// <remarks>
/// An entity fetch's <c>representations</c> variable (<c>representations0</c>, ... in a batch) is one node that prints
/// the representations already written as JSON: an implementation serializes the request (<see cref="JsonSerializer"/>,
/// <see cref="JsonNode.ToJsonString"/>) and parses that text if it needs to read them.
/// </remarks>
public interface ISubgraphClient
{
    Task<JsonObject> ExecuteAsync(string subgraph, Uri url, JsonObject request, CancellationToken cancellationToken);

    /// <summary>Sends with the client's headers chosen for forwarding (Authorization and the configured list).</summary>
    Task<JsonObject> ExecuteAsync(string subgraph, Uri url, JsonObject request, IReadOnlyDictionary<string, string>? headers, CancellationToken cancellationToken) =>
        ExecuteAsync(subgraph, url, request, cancellationToken);

    /// <summary>
    /// Sends a read-only request (a query root fetch or an entity fetch): it may be sent a second time after a transport
    /// failure, and clients that deduplicate identical in-flight requests may share one subgraph round trip between
    /// callers. Mutation root fetches never come here.
    /// </summary>
    Task<JsonObject> ExecuteReadAsync(string subgraph, Uri url, JsonObject request, IReadOnlyDictionary<string, string>? headers, CancellationToken cancellationToken) =>
        ExecuteAsync(subgraph, url, request, headers, cancellationToken);

    /// <summary>
    /// <see cref="ExecuteReadAsync"/> with the subgraph's <c>Cache-Control</c>, which decides whether and for how long
    /// the entity cache stores the answer; a client that cannot see headers reports none.
    /// </summary>
    async Task<SubgraphAnswer> ExecuteCacheableReadAsync(string subgraph, Uri url, JsonObject request, IReadOnlyDictionary<string, string>? headers, CancellationToken cancellationToken) =>
        new(SubgraphResponse.From(await ExecuteReadAsync(subgraph, url, request, headers, cancellationToken)), null);

    /// <summary>
    /// <see cref="ExecuteAsync(string, Uri, JsonObject, IReadOnlyDictionary{string, string}?, CancellationToken)"/> with the
    /// answer as the executor merges it (a mutation's root fetch: sent once).
    /// </summary>
    async Task<SubgraphResponse> ExecuteResponseAsync(string subgraph, Uri url, JsonObject request, IReadOnlyDictionary<string, string>? headers, CancellationToken cancellationToken) =>
        SubgraphResponse.From(await ExecuteAsync(subgraph, url, request, headers, cancellationToken));
}

/// <summary>A subgraph's GraphQL response with the <c>Cache-Control</c> it came with (null: the subgraph sent none).</summary>
public sealed record SubgraphAnswer(SubgraphResponse Response, SubgraphCacheControl? CacheControl);

/// <summary>What a subgraph's <c>Cache-Control</c> allows a shared cache: <c>no-store</c>/<c>no-cache</c>, <c>max-age</c>, <c>private</c>.</summary>
public sealed record SubgraphCacheControl(bool NoStore, TimeSpan? MaxAge, bool Private)
{
    public static SubgraphCacheControl? From(CacheControlHeaderValue? header) =>
        header is null ? null : new(header.NoStore || header.NoCache, header.SharedMaxAge ?? header.MaxAge, header.Private);
}

/// <param name="retryable">
/// Whether sending the same read again may help: a refused or broken connection, an answer that was not GraphQL. Never
/// a timeout (the subgraph had its whole time) or an open circuit.
/// </param>
/// <param name="notSent">No connection could be made, so the subgraph never saw the request: even a mutation may go to another replica.</param>
public sealed class SubgraphException(string message, Exception? inner = null, bool retryable = false, bool notSent = false) : Exception(message, inner)
{
    public bool Retryable { get; } = retryable;

    public bool NotSent { get; } = notSent;
}

/// <param name="timeout">Default time a subgraph has to answer (headers and body).</param>
/// <param name="timeoutOf">Per-subgraph timeout, falling back to <paramref name="timeout"/> when it returns null.</param>
/// <param name="deduplicate">
/// Identical read-only requests in flight at the same time (same subgraph, URL, forwarded headers and body bytes) share
/// one round trip; each caller gets its own copy of the answer.
/// </param>
/// <param name="maxConnectionsPerSubgraph">Keep-alive connections per subgraph; requests beyond it wait for a free one.</param>
/// <param name="logger">Where circuit breakers report opening and closing again, and replicas their ejection.</param>
/// <param name="replicasOf">
/// A subgraph's replica URLs (config <c>Subgraphs:&lt;name&gt;:Urls</c>) when it has several: the requests for it spread
/// over them (<see cref="ReplicaSet"/>) instead of going to the URL the caller names. Null or one URL: the caller's URL.
/// </param>
/// <param name="http2Of">Whether a subgraph's requests use HTTP/2 (<see cref="SubgraphHttp2"/>); null: <see cref="SubgraphHttp2.Enable"/> for all.</param>
public sealed class HttpSubgraphClient(
    Func<string, HttpMessageHandler>? handlerFactory = null,
    TimeSpan? timeout = null,
    Func<string, TimeSpan?>? timeoutOf = null,
    CircuitBreakerOptions? circuitBreaker = null,
    TimeProvider? timeProvider = null,
    bool deduplicate = false,
    int maxConnectionsPerSubgraph = 256,
    ILogger? logger = null,
    Func<string, IReadOnlyList<Uri>?>? replicasOf = null,
    Func<string, SubgraphHttp2>? http2Of = null)
    : ISubgraphClient, IDisposable
{
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json") { CharSet = "utf-8" };

    private static readonly MediaTypeWithQualityHeaderValue[] Accept =
    [
        new("application/graphql-response+json"),
        new("application/json"),
    ];

    private readonly ConcurrentDictionary<string, SubgraphConnection> _clients = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CircuitBreaker> _breakers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ReplicaSet?> _replicaSets = new(StringComparer.Ordinal);
    // Callers merge from what they receive, so no two get the same instance: each other caller gets a copy, which
    // shares the leaves and the bytes they point into and costs only the containers.
    private readonly SingleFlight<InflightKey, SubgraphAnswer> _inflight = new(copy: answer => answer with { Response = answer.Response.Clone() });

    /// <summary>Subgraph round trips that were shared with an identical in-flight request instead of being sent.</summary>
    public long DeduplicatedRequests => _inflight.Shared;

    /// <summary>A subgraph with replicas is closed while any replica is (<see cref="ReplicaSet.State"/>).</summary>
    public CircuitState CircuitOf(string subgraph) =>
        _replicaSets.TryGetValue(subgraph, out var set) && set is not null ? set.State
        : _breakers.TryGetValue(subgraph, out var breaker) ? breaker.State
        : CircuitState.Closed;

    /// <summary>The state of every subgraph's breaker this client has sent to.</summary>
    public IEnumerable<KeyValuePair<string, CircuitState>> Circuits =>
        _breakers.Select(b => KeyValuePair.Create(b.Key, b.Value.State))
            .Concat(_replicaSets.Where(s => s.Value is not null).Select(s => KeyValuePair.Create(s.Key, s.Value!.State)));

    /// <summary>The replicas of <paramref name="subgraph"/> this client balances, or null when it sends to one URL.</summary>
    public ReplicaSet? ReplicasOf(string subgraph) => _replicaSets.GetOrAdd(subgraph, name =>
    {
        if (replicasOf?.Invoke(name) is not { Count: > 1 } urls)
        {
            return null;
        }

        GatewayTelemetry.Track(this);
        return new ReplicaSet(name, urls, circuitBreaker ?? new CircuitBreakerOptions(), timeProvider ?? TimeProvider.System, logger);
    });

    public Task<JsonObject> ExecuteAsync(string subgraph, Uri url, JsonObject request, CancellationToken cancellationToken) =>
        ExecuteAsync(subgraph, url, request, null, cancellationToken);

    public async Task<JsonObject> ExecuteAsync(string subgraph, Uri url, JsonObject request, IReadOnlyDictionary<string, string>? headers, CancellationToken cancellationToken) =>
        (await ExecuteResponseAsync(subgraph, url, request, headers, cancellationToken)).ToJsonObject();

    public async Task<SubgraphResponse> ExecuteResponseAsync(string subgraph, Uri url, JsonObject request, IReadOnlyDictionary<string, string>? headers, CancellationToken cancellationToken) =>
        (await ExecuteAsync(subgraph, url, JsonSerializer.SerializeToUtf8Bytes(request), headers, retry: false, cancellationToken)).Response;

    public async Task<JsonObject> ExecuteReadAsync(string subgraph, Uri url, JsonObject request, IReadOnlyDictionary<string, string>? headers, CancellationToken cancellationToken) =>
        (await ExecuteCacheableReadAsync(subgraph, url, request, headers, cancellationToken)).Response.ToJsonObject();

    public async Task<SubgraphAnswer> ExecuteCacheableReadAsync(string subgraph, Uri url, JsonObject request, IReadOnlyDictionary<string, string>? headers, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(request);
        if (!deduplicate)
        {
            return await ExecuteAsync(subgraph, url, body, headers, retry: true, cancellationToken);
        }

        return await _inflight.RunAsync(
            new InflightKey(subgraph, url, headers, body),
            shared => ExecuteAsync(subgraph, url, body, headers, retry: true, shared),
            cancellationToken);
    }

    /// <summary>The subgraph's timeout bounds the whole call: a read sent again after a transport failure gets what is left of it.</summary>
    private async Task<SubgraphAnswer> ExecuteAsync(string subgraph, Uri url, byte[] request, IReadOnlyDictionary<string, string>? headers, bool retry, CancellationToken cancellationToken)
    {
        var limit = timeoutOf?.Invoke(subgraph) ?? timeout ?? TimeSpan.FromSeconds(30);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        var call = new SubgraphCall(subgraph, url, request, headers, limit, deadline.Token, cancellationToken);
        var replicas = ReplicasOf(subgraph);
        Replica? failed = null;
        try
        {
            return await AttemptAsync(call, replicas, null, replica => failed = replica);
        }
        catch (SubgraphException e) when (!deadline.IsCancellationRequested && ((retry && e.Retryable) || (e.NotSent && replicas is not null)))
        {
            // Queries and entity fetches are safe to repeat once (a dropped keep-alive connection, a restart), on another
            // replica when there is a healthy one; a mutation only when no replica ever saw it.
            return await AttemptAsync(call, replicas, failed, _ => { });
        }
    }

    /// <param name="failed">The replica the first attempt failed on, which a repeat avoids unless no other is healthy.</param>
    /// <param name="sentTo">Told which replica this attempt goes to.</param>
    private async Task<SubgraphAnswer> AttemptAsync(SubgraphCall call, ReplicaSet? replicas, Replica? failed, Action<Replica> sentTo)
    {
        CircuitBreaker breaker;
        var url = call.Url;
        if (replicas is not null)
        {
            var replica = replicas.Next(failed);
            sentTo(replica);
            (breaker, url) = (replica.Breaker, replica.Url);
        }
        else
        {
            breaker = _breakers.GetOrAdd(call.Subgraph, name =>
            {
                GatewayTelemetry.Track(this);
                return new CircuitBreaker(circuitBreaker ?? new CircuitBreakerOptions(), timeProvider ?? TimeProvider.System, name, logger);
            });
            if (!breaker.TryEnter())
            {
                throw new SubgraphException($"Subgraph \"{call.Subgraph}\" is unavailable: its circuit breaker is open after repeated failures.");
            }
        }

        try
        {
            var response = await SendAsync(call, url);
            breaker.Succeeded();
            return response;
        }
        catch (SubgraphException)
        {
            breaker.Failed();
            throw;
        }
        catch
        {
            breaker.Abandoned();
            throw;
        }
    }

    private async Task<SubgraphAnswer> SendAsync(SubgraphCall call, Uri url)
    {
        var connection = _clients.GetOrAdd(call.Subgraph, CreateClient);
        var content = new ByteArrayContent(call.Body);
        content.Headers.ContentType = JsonContentType;
        using var message = new HttpRequestMessage(HttpMethod.Post, url) { Content = content, Version = connection.Version, VersionPolicy = connection.Policy };
        foreach (var accept in Accept)
        {
            message.Headers.Accept.Add(accept);
        }

        if (call.Headers is not null)
        {
            foreach (var (name, value) in call.Headers)
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }

        try
        {
            using var response = await connection.Client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, call.Deadline);
            // Read as UTF-8 bytes, never as one string (an 80 KB answer as UTF-16 lands on the large object heap), and
            // parsed once into result nodes that keep pointing into them.
            var body = await response.Content.ReadAsByteArrayAsync(call.Deadline);
            return new SubgraphAnswer(Parse(call.Subgraph, response, body), SubgraphCacheControl.From(response.Headers.CacheControl));
        }
        catch (OperationCanceledException e) when (!call.Caller.IsCancellationRequested)
        {
            throw new SubgraphException($"Subgraph \"{call.Subgraph}\" did not answer within {call.Limit.TotalSeconds:0.###} s.", e);
        }
        catch (HttpRequestException e)
        {
            throw new SubgraphException($"Request to subgraph \"{call.Subgraph}\" failed: {e.Message}", e, retryable: true, notSent: e.HttpRequestError == HttpRequestError.ConnectionError);
        }
        catch (IOException e)
        {
            // The connection broke while the body was being read.
            throw new SubgraphException($"Request to subgraph \"{call.Subgraph}\" failed: {e.Message}", e, retryable: true);
        }
    }

    private static SubgraphResponse Parse(string subgraph, HttpResponseMessage response, byte[] body)
    {
        // GraphQL-over-HTTP lets a subgraph answer 4xx with a GraphQL body; only a body without data or errors is a transport failure.
        if (SubgraphResponse.Parse(body, body.Length) is { } parsed)
        {
            return parsed;
        }

        throw new SubgraphException(
            $"Subgraph \"{subgraph}\" answered {(int)response.StatusCode} {response.ReasonPhrase} without a GraphQL response.",
            retryable: true);
    }

    public void Dispose()
    {
        GatewayTelemetry.Untrack(this);
        foreach (var connection in _clients.Values)
        {
            connection.Client.Dispose();
        }
    }

    private SubgraphConnection CreateClient(string subgraph)
    {
        var handler = handlerFactory?.Invoke(subgraph) ?? new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            MaxConnectionsPerServer = maxConnectionsPerSubgraph,
            // HTTP/2: another connection opens when every stream of the open ones is in use (Kestrel allows 100).
            EnableMultipleHttp2Connections = true,
            AutomaticDecompression = System.Net.DecompressionMethods.All,
            // A redirect is not followed: it would send the request, with its forwarded headers and the gateway's
            // internal token, to wherever the subgraph points (HttpClient strips only Authorization on the way), and
            // 301/302 would turn the POST into a GET. A 3xx is an answer without a GraphQL response.
            AllowAutoRedirect = false,
        };
        // Timeouts are per request (per subgraph), so the client itself never times out.
        var (version, policy) = SubgraphHttp2Versions.Of(http2Of?.Invoke(subgraph) ?? SubgraphHttp2.Enable);
        return new SubgraphConnection(new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan }, version, policy);
    }

    /// <summary>A subgraph's pooled client and the HTTP version its requests ask for.</summary>
    private sealed record SubgraphConnection(HttpClient Client, Version Version, HttpVersionPolicy Policy);
}

/// <summary>One call to a subgraph: what is sent, the timeout that bounds every attempt, and the caller's own cancellation.</summary>
internal sealed record SubgraphCall(
    string Subgraph,
    Uri Url,
    byte[] Body,
    IReadOnlyDictionary<string, string>? Headers,
    TimeSpan Limit,
    CancellationToken Deadline,
    CancellationToken Caller);

/// <summary>What makes two subgraph requests the same request: where it goes, the headers forwarded with it, its body bytes.</summary>
internal readonly struct InflightKey : IEquatable<InflightKey>
{
    private readonly string _target;
    private readonly byte[] _body;
    private readonly int _hash;

    public InflightKey(string subgraph, Uri url, IReadOnlyDictionary<string, string>? headers, byte[] body)
    {
        _target = subgraph + "\n" + url.OriginalString + "\n" + ForwardedHeaders.Canonical(headers);
        _body = body;
        var hash = new HashCode();
        hash.Add(_target);
        hash.AddBytes(body);
        _hash = hash.ToHashCode();
    }

    public bool Equals(InflightKey other) => _hash == other._hash && _target == other._target && _body.AsSpan().SequenceEqual(other._body);

    public override bool Equals(object? obj) => obj is InflightKey other && Equals(other);

    public override int GetHashCode() => _hash;
}
