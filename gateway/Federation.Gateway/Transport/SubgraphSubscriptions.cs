using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Federation.Gateway.Transport;

/// <summary>Opens a subscription on the subgraph that declares the root field and reads its events.</summary>
public interface ISubgraphSubscriptions
{
    /// <summary>
    /// The subgraph's events, each a GraphQL answer (<c>data</c>, <c>errors</c>), until it completes the stream.
    /// Cancelling the enumeration ends the subscription at the subgraph. A transport failure throws
    /// <see cref="SubgraphException"/>.
    /// </summary>
    IAsyncEnumerable<JsonObject> SubscribeAsync(
        string subgraph, Uri url, JsonObject request, IReadOnlyDictionary<string, string>? headers, CancellationToken cancellationToken);
}

/// <summary>
/// Subscriptions to subgraphs over GraphQL over SSE, the graphql-sse "distinct connections" mode: one POST with
/// <c>Accept: text/event-stream</c> per subscription, <c>event: next</c> per answer, <c>event: complete</c> at the end.
/// Hive Gateway uses it to subgraphs by default; unlike a WebSocket it needs no protocol state beyond the request, goes
/// through the same proxies and headers as every other subgraph call, and closing the response is the unsubscribe.
/// A subgraph that answers with JSON instead (a refused operation) has its one answer read as the only event.
/// </summary>
/// <param name="replicasOf">
/// The replicas a subgraph's requests are balanced over (<see cref="HttpSubgraphClient.ReplicasOf"/>), or null for one
/// URL. A subscription opens on the next healthy replica in turn and shares its breaker with the other requests: opening
/// has no side effect, so a replica that fails to open it (refused, reset, no answer) is left for another once.
/// </param>
public sealed class SseSubgraphSubscriptions(Func<string, HttpMessageHandler>? handlerFactory = null, Func<string, ReplicaSet?>? replicasOf = null)
    : ISubgraphSubscriptions, IDisposable
{
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json") { CharSet = "utf-8" };

    private readonly ConcurrentDictionary<string, HttpClient> _clients = new(StringComparer.Ordinal);

    public async IAsyncEnumerable<JsonObject> SubscribeAsync(
        string subgraph,
        Uri url,
        JsonObject request,
        IReadOnlyDictionary<string, string>? headers,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var requestBody = JsonSerializer.SerializeToUtf8Bytes(request);
        using var response = replicasOf?.Invoke(subgraph) is { } replicas
            ? await OpenOnReplicaAsync(subgraph, replicas, requestBody, headers, cancellationToken)
            : await OpenAsync(subgraph, url, requestBody, headers, cancellationToken);
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (mediaType is not "text/event-stream")
        {
            yield return await ReadSingleAnswerAsync(subgraph, response, mediaType, cancellationToken);
            yield break;
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(body, Encoding.UTF8);
        string? kind = null;
        var data = new StringBuilder();
        while (true)
        {
            string? line;
            try
            {
                line = await reader.ReadLineAsync(cancellationToken);
            }
            catch (IOException e)
            {
                throw new SubgraphException($"The subscription stream of subgraph \"{subgraph}\" broke off: {e.Message}", e);
            }

            if (line is null)
            {
                // The spec ends a stream with "complete"; a connection that just closes lost the rest of it.
                throw new SubgraphException($"Subgraph \"{subgraph}\" closed the subscription stream without completing it.");
            }

            if (line.Length > 0)
            {
                ReadField(line, ref kind, data);
                continue;
            }

            // A blank line dispatches the event (HTML Living Standard, server-sent events).
            var eventKind = kind ?? (data.Length > 0 ? "next" : null);
            var payload = data.ToString();
            kind = null;
            data.Clear();
            if (eventKind == "complete")
            {
                yield break;
            }

            if (eventKind == "next")
            {
                yield return ParseAnswer(subgraph, payload);
            }
        }
    }

    private static void ReadField(string line, ref string? kind, StringBuilder data)
    {
        if (line[0] == ':')
        {
            return;
        }

        var colon = line.IndexOf(':');
        var name = colon < 0 ? line : line[..colon];
        var value = colon < 0 ? string.Empty : line[(colon + 1)..];
        if (value.StartsWith(' '))
        {
            value = value[1..];
        }

        if (name == "event")
        {
            kind = value;
        }
        else if (name == "data")
        {
            if (data.Length > 0)
            {
                data.Append('\n');
            }

            data.Append(value);
        }
    }

    private static JsonObject ParseAnswer(string subgraph, string payload)
    {
        try
        {
            return JsonNode.Parse(payload) as JsonObject
                ?? throw new SubgraphException($"Subgraph \"{subgraph}\" sent a subscription event that is not a JSON object.");
        }
        catch (JsonException e)
        {
            throw new SubgraphException($"Subgraph \"{subgraph}\" sent a subscription event that is not JSON.", e);
        }
    }

    private async Task<HttpResponseMessage> OpenOnReplicaAsync(
        string subgraph, ReplicaSet replicas, byte[] body, IReadOnlyDictionary<string, string>? headers, CancellationToken cancellationToken)
    {
        Replica? failed = null;
        while (true)
        {
            var replica = replicas.Next(failed);
            try
            {
                var response = await OpenAsync(subgraph, replica.Url, body, headers, cancellationToken);
                replica.Breaker.Succeeded();
                return response;
            }
            catch (SubgraphException) when (failed is null)
            {
                replica.Breaker.Failed();
                failed = replica;
            }
            catch (SubgraphException)
            {
                replica.Breaker.Failed();
                throw;
            }
            catch
            {
                replica.Breaker.Abandoned();
                throw;
            }
        }
    }

    private async Task<HttpResponseMessage> OpenAsync(
        string subgraph, Uri url, byte[] body, IReadOnlyDictionary<string, string>? headers, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = JsonContentType } },
        };
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/graphql-response+json", 0.9));
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json", 0.8));
        if (headers is not null)
        {
            foreach (var (name, value) in headers)
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return await SendAsync(subgraph, message, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendAsync(string subgraph, HttpRequestMessage message, CancellationToken cancellationToken)
    {
        var client = _clients.GetOrAdd(subgraph, name => new HttpClient(handlerFactory?.Invoke(name) ?? new SocketsHttpHandler { AllowAutoRedirect = false })
        {
            // The stream lives as long as the subscription; the caller's cancellation ends it. Redirects are not
            // followed, for the reason HttpSubgraphClient gives.
            Timeout = Timeout.InfiniteTimeSpan,
        });
        try
        {
            return await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new SubgraphException($"Subscribing at subgraph \"{subgraph}\" failed: {e.Message}", e);
        }
    }

    private static async Task<JsonObject> ReadSingleAnswerAsync(string subgraph, HttpResponseMessage response, string? mediaType, CancellationToken cancellationToken)
    {
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (mediaType is "application/json" or "application/graphql-response+json")
            {
                try
                {
                    if (JsonNode.Parse(text) is JsonObject answer && (answer.ContainsKey("data") || answer.ContainsKey("errors")))
                    {
                        return answer;
                    }
                }
                catch (JsonException)
                {
                }
            }

            throw new SubgraphException(
                $"Subgraph \"{subgraph}\" answered the subscription with {(int)response.StatusCode} {mediaType ?? "and no content type"} instead of an event stream.");
        }
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }
    }
}
