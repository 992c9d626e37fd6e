using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Federation.Gateway.Transport;

/// <summary>Sends GraphQL requests to subgraphs over one pooled keep-alive connection set per subgraph.</summary>
public interface ISubgraphClient
{
    Task<JsonObject> ExecuteAsync(string subgraph, Uri url, JsonObject request, CancellationToken cancellationToken);
}

public sealed class SubgraphException(string message, Exception? inner = null) : Exception(message, inner);

public sealed class HttpSubgraphClient(Func<string, HttpMessageHandler>? handlerFactory = null, TimeSpan? timeout = null)
    : ISubgraphClient, IDisposable
{
    private static readonly MediaTypeWithQualityHeaderValue[] Accept =
    [
        new("application/graphql-response+json"),
        new("application/json"),
    ];

    private readonly ConcurrentDictionary<string, HttpClient> _clients = new(StringComparer.Ordinal);

    public async Task<JsonObject> ExecuteAsync(string subgraph, Uri url, JsonObject request, CancellationToken cancellationToken)
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

        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new SubgraphException($"Request to subgraph \"{subgraph}\" failed: {e.Message}", e);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
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
        return new HttpClient(handler, disposeHandler: true) { Timeout = timeout ?? TimeSpan.FromSeconds(30) };
    }
}
