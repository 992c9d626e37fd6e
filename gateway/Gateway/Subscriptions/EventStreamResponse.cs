using Federation.Gateway.Pipeline;
using Federation.GraphQLHttp;

namespace Federation.Gateway.Host.Subscriptions;

/// <summary>
/// GraphQL over Server-Sent Events in the graphql-sse "distinct connections" mode: a GET or POST that prefers
/// <c>text/event-stream</c> gets one <c>event: next</c> per answer (every event of a subscription, the one answer of a
/// query or mutation) and a final <c>event: complete</c>. A request refused before execution is answered as plain
/// GraphQL over HTTP (JSON with a 4xx), as graphql-sse does. Closing the response is the unsubscribe. When the gateway
/// shuts down (SIGTERM, a rolling update) an open subscription gets one last answer with the error
/// <c>SUBSCRIPTION_GATEWAY_SHUTDOWN</c> and <c>complete</c>, so the client subscribes again through the load balancer
/// instead of waiting on a stream that is cut when the host's shutdown timeout runs out.
/// </summary>
public static class EventStreamResponse
{
    public const string MediaType = "text/event-stream";

    private static readonly byte[] NextPrefix = "event: next\ndata: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] Complete = "event: complete\ndata:\n\n"u8.ToArray();
    private static readonly byte[] KeepAlive = ":\n\n"u8.ToArray();

    /// <summary>The last answer of a subscription the gateway ends because it is shutting down.</summary>
    public static GatewayResult ShuttingDown() => GraphQLErrors.Result(
        StatusCodes.Status200OK,
        GraphQLErrors.Error("The gateway is shutting down; subscribe again and another replica will serve you.", "SUBSCRIPTION_GATEWAY_SHUTDOWN"));

    /// <summary>Whether <c>Accept</c> names text/event-stream with a quality no GraphQL JSON media type beats.</summary>
    public static bool IsRequested(HttpRequest request)
    {
        double stream = 0, json = 0;
        foreach (var part in request.Headers.Accept.ToString().Split(','))
        {
            var segments = part.Split(';');
            var quality = GraphQLMediaTypes.Quality(segments);

            switch (segments[0].Trim().ToLowerInvariant())
            {
                case MediaType:
                    stream = Math.Max(stream, quality);
                    break;
                case GraphQLMediaTypes.Json or GraphQLMediaTypes.GraphQLResponse:
                    json = Math.Max(json, quality);
                    break;
            }
        }

        return stream > 0 && stream >= json;
    }

    public static async Task RunAsync(HttpContext context, GatewayEngine engine, SubscriptionConnections connections, SubscriptionSettings settings, GatewayRequest request)
    {
        if (await connections.TryOpenAsync(context) is not { } place)
        {
            return;
        }

        using (place)
        {
            var result = await engine.ExecuteAsync(request, context.RequestAborted);
            if (result.Stream is null && (result.NotExecuted || result.StatusCode != StatusCodes.Status200OK))
            {
                using var refusal = BoundedResponse.Serialize(result, engine.Options.MaxResponseBytes);
                GraphQLHttpResponse.Start(context, result.NotExecuted ? StatusCodes.Status400BadRequest : refusal.Status, GraphQLMediaTypes.Json);
                await refusal.WriteToAsync(context.Response.Body, context.RequestAborted);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = MediaType + "; charset=utf-8";
            context.Response.Headers.CacheControl = "no-cache";
            // nginx and similar proxies would hold events back until their buffer fills.
            context.Response.Headers["X-Accel-Buffering"] = "no";
            await context.Response.StartAsync(context.RequestAborted);

            using var writer = new EventWriter(context.Response.Body, settings.ParsedKeepAliveInterval, context.RequestAborted);
            var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            using var ended = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
            try
            {
                if (result.Stream is { } stream)
                {
                    await foreach (var answer in stream.WithCancellation(ended.Token))
                    {
                        await writer.NextAsync(answer, engine.Options.MaxResponseBytes);
                    }
                }
                else
                {
                    await writer.NextAsync(result, engine.Options.MaxResponseBytes);
                }

                await writer.WriteAsync(Complete);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                // The client closed the stream: the enumerator's disposal has already ended the subgraph's subscription.
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                await writer.NextAsync(ShuttingDown(), engine.Options.MaxResponseBytes);
                await writer.WriteAsync(Complete);
            }
            catch (IOException) when (context.RequestAborted.IsCancellationRequested)
            {
            }
        }
    }

    /// <summary>Writes events one at a time and a keep-alive comment whenever the stream has been quiet for the interval.</summary>
    private sealed class EventWriter : IDisposable
    {
        private readonly Stream _body;
        private readonly CancellationToken _aborted;
        private readonly SemaphoreSlim _gate = new(1, 1);
        private readonly Timer _keepAlive;
        private readonly TimeSpan _interval;

        public EventWriter(Stream body, TimeSpan interval, CancellationToken aborted)
        {
            _body = body;
            _aborted = aborted;
            _interval = interval;
            _keepAlive = new Timer(_ => _ = KeepAliveAsync(), null, interval, interval);
        }

        public async Task NextAsync(GatewayResult answer, int maxBytes)
        {
            using var body = BoundedResponse.Serialize(answer, maxBytes);
            await _gate.WaitAsync(_aborted);
            try
            {
                await _body.WriteAsync(NextPrefix, _aborted);
                await body.WriteToAsync(_body, _aborted);
                await _body.WriteAsync(EventEnd, _aborted);
                await _body.FlushAsync(_aborted);
                _keepAlive.Change(_interval, _interval);
            }
            finally
            {
                _gate.Release();
            }
        }

        public async Task WriteAsync(byte[] bytes)
        {
            await _gate.WaitAsync(_aborted);
            try
            {
                await _body.WriteAsync(bytes, _aborted);
                await _body.FlushAsync(_aborted);
            }
            finally
            {
                _gate.Release();
            }
        }

        private async Task KeepAliveAsync()
        {
            try
            {
                await WriteAsync(KeepAlive);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException)
            {
                // The stream is ending; the request's own path reports it.
            }
        }

        public void Dispose()
        {
            _keepAlive.Dispose();
            _gate.Dispose();
        }
    }
}
