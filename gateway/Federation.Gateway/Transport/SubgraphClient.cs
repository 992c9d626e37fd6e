using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Federation.Gateway.Transport;

/// <summary>Sends GraphQL requests to subgraphs over one pooled keep-alive connection set per subgraph.</summary>
public interface ISubgraphClient
{
    Task<JsonObject> ExecuteAsync(string subgraph, Uri url, JsonObject request, CancellationToken cancellationToken);

    /// <summary>Sends with the client's headers chosen for forwarding (Authorization and the configured list).</summary>
    Task<JsonObject> ExecuteAsync(string subgraph, Uri url, JsonObject request, IReadOnlyDictionary<string, string>? headers, CancellationToken cancellationToken) =>
        ExecuteAsync(subgraph, url, request, cancellationToken);
}

public sealed class SubgraphException(string message, Exception? inner = null) : Exception(message, inner);

/// <param name="timeout">Default time a subgraph has to answer (headers and body).</param>
/// <param name="timeoutOf">Per-subgraph timeout, falling back to <paramref name="timeout"/> when it returns null.</param>
public sealed class HttpSubgraphClient(
    Func<string, HttpMessageHandler>? handlerFactory = null,
    TimeSpan? timeout = null,
    Func<string, TimeSpan?>? timeoutOf = null,
    CircuitBreakerOptions? circuitBreaker = null,
    TimeProvider? timeProvider = null)
    : ISubgraphClient, IDisposable
{
    private static readonly MediaTypeWithQualityHeaderValue[] Accept =
    [
        new("application/graphql-response+json"),
        new("application/json"),
    ];

    private readonly ConcurrentDictionary<string, HttpClient> _clients = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CircuitBreaker> _breakers = new(StringComparer.Ordinal);

    public CircuitState CircuitOf(string subgraph) => _breakers.TryGetValue(subgraph, out var breaker) ? breaker.State : CircuitState.Closed;

    public Task<JsonObject> ExecuteAsync(string subgraph, Uri url, JsonObject request, CancellationToken cancellationToken) =>
        ExecuteAsync(subgraph, url, request, null, cancellationToken);

    public async Task<JsonObject> ExecuteAsync(string subgraph, Uri url, JsonObject request, IReadOnlyDictionary<string, string>? headers, CancellationToken cancellationToken)
    {
        var breaker = _breakers.GetOrAdd(subgraph, _ => new CircuitBreaker(circuitBreaker ?? new CircuitBreakerOptions(), timeProvider ?? TimeProvider.System));
        if (!breaker.TryEnter())
        {
            throw new SubgraphException($"Subgraph \"{subgraph}\" is unavailable: its circuit breaker is open after repeated failures.");
        }

        try
        {
            var response = await SendAsync(subgraph, url, request, headers, cancellationToken);
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

    private async Task<JsonObject> SendAsync(string subgraph, Uri url, JsonObject request, IReadOnlyDictionary<string, string>? headers, CancellationToken cancellationToken)
    {
        var client = _clients.GetOrAdd(subgraph, CreateClient);
        using var message = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        foreach (var accept in Accept)
        {
            message.Headers.Accept.Add(accept);
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        var limit = timeoutOf?.Invoke(subgraph) ?? timeout ?? TimeSpan.FromSeconds(30);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        try
        {
            using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            var body = await response.Content.ReadAsStringAsync(deadline.Token);
            return Parse(subgraph, response, body);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SubgraphException($"Subgraph \"{subgraph}\" did not answer within {limit.TotalSeconds:0.###} s.", e);
        }
        catch (HttpRequestException e)
        {
            throw new SubgraphException($"Request to subgraph \"{subgraph}\" failed: {e.Message}", e);
        }
    }

    private static JsonObject Parse(string subgraph, HttpResponseMessage response, string body)
    {
        JsonNode? json = null;
        try
        {
            json = string.IsNullOrWhiteSpace(body) ? null : JsonNode.Parse(body);
        }
        catch (System.Text.Json.JsonException)
        {
        }

        // GraphQL-over-HTTP lets a subgraph answer 4xx with a GraphQL body; only a body without data or errors is a transport failure.
        if (json is JsonObject obj && (obj.ContainsKey("data") || obj.ContainsKey("errors")))
        {
            return obj;
        }

        throw new SubgraphException(
            $"Subgraph \"{subgraph}\" answered {(int)response.StatusCode} {response.ReasonPhrase} without a GraphQL response.");
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }
    }

    private HttpClient CreateClient(string subgraph)
    {
        var handler = handlerFactory?.Invoke(subgraph) ?? new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            MaxConnectionsPerServer = 256,
            EnableMultipleHttp2Connections = true,
            AutomaticDecompression = System.Net.DecompressionMethods.All,
        };
        // Timeouts are per request (per subgraph), so the client itself never times out.
        return new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }
}
