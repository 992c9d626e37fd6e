using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Federation.Gateway.Authorization;
using Federation.GraphQLHttp;
using Microsoft.Extensions.Options;

namespace Federation.Gateway.Host.Subscriptions;

/// <summary>
/// One WebSocket speaking graphql-transport-ws, the graphql-ws protocol
/// (https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md): <c>connection_init</c> within
/// <c>Subscriptions:ConnectionInitTimeout</c> (else 4408), <c>connection_ack</c>, then any number of <c>subscribe</c>
/// operations, each answered with <c>next</c> messages and a <c>complete</c>, or one <c>error</c> when it is refused
/// before execution; <c>ping</c>/<c>pong</c> both ways; the client's <c>complete</c> ends an operation and its subgraph
/// subscription. Protocol violations close the socket with the protocol's codes (4400, 4401, 4403, 4406, 4409, 4429).
/// The caller is the upgrade request's bearer token or else the <c>Authorization</c> in the <c>connection_init</c>
/// payload, verified like an HTTP request's; when that token expires the socket is closed with 4403.
/// </summary>
public sealed partial class GraphQLWebSocket
{
    public const string Protocol = "graphql-transport-ws";

    private static readonly TimeSpan CloseHandshake = TimeSpan.FromSeconds(5);

    private readonly HttpContext _context;
    private readonly WebSocket _socket;
    private readonly GatewayEngine _engine;
    private readonly GatewaySettings _settings;
    private readonly long _maxMessageBytes;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _send = new(1, 1);
    private readonly ConcurrentDictionary<string, Operation> _operations = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _closed = new();
    private readonly CancellationTokenSource _receiving;
    private CallerIdentity? _caller;
    private int _initialised;
    private volatile bool _acknowledged;
    private int _closing;

    private GraphQLWebSocket(HttpContext context, WebSocket socket, GatewayEngine engine, GatewaySettings settings, CallerIdentity? caller, long maxMessageBytes, ILogger logger)
    {
        _context = context;
        _socket = socket;
        _engine = engine;
        _settings = settings;
        _caller = caller;
        _maxMessageBytes = maxMessageBytes;
        _logger = logger;
        _receiving = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
    }

    public static async Task RunAsync(HttpContext context, GatewayEngine engine, SubscriptionConnections connections, GatewaySettings settings, CallerIdentity? caller)
    {
        if (await connections.TryOpenAsync(context) is not { } place)
        {
            return;
        }

        using (place)
        {
            var speaksProtocol = context.WebSockets.WebSocketRequestedProtocols.Contains(Protocol);
            using var socket = await context.WebSockets.AcceptWebSocketAsync(speaksProtocol ? Protocol : null);
            var session = new GraphQLWebSocket(
                context,
                socket,
                engine,
                settings,
                caller,
                context.RequestServices.GetRequiredService<IOptions<GraphQLHttpOptions>>().Value.MaxRequestBytes,
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger<GraphQLWebSocket>());
            if (!speaksProtocol)
            {
                // The legacy subscriptions-transport-ws ("graphql-ws") and others are not spoken here.
                await session.CloseAsync(4406, "Subprotocol not acceptable");
            }

            await session.RunAsync();
        }
    }

    private async Task RunAsync()
    {
        // A gateway shutting down (SIGTERM, a rolling update) says so with 1001, which graphql-ws clients answer by
        // reconnecting, through the load balancer to another replica, and subscribing again.
        await using var stopping = _context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping
            .Register(() => _ = CloseAsync((int)WebSocketCloseStatus.EndpointUnavailable, "Going away: the gateway is shutting down"));
        await using var initTimeout = new Timer(
            _ => _ = Volatile.Read(ref _initialised) == 0 ? CloseAsync(4408, "Connection initialisation timeout") : Task.CompletedTask,
            null,
            _settings.Subscriptions.ParsedConnectionInitTimeout,
            Timeout.InfiniteTimeSpan);
        ITimer? expiry = null;
        try
        {
            while (await ReceiveAsync() is { } message)
            {
                if (await HandleAsync(message) is { } caller && caller.Expires is { } expires)
                {
                    // The stream would otherwise outlive the token that opened it (no re-check happens on an open socket).
                    expiry = _engine.Options.TimeProvider.CreateTimer(
                        _ => _ = CloseAsync(4403, "Forbidden: the token has expired"),
                        null,
                        Federation.Gateway.Subscriptions.SubscriptionStream.DelayUntil(expires, _engine.Options.TimeProvider),
                        Timeout.InfiniteTimeSpan);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The client vanished without a close frame, or did not answer ours in time.
        }
        finally
        {
            if (expiry is not null)
            {
                await expiry.DisposeAsync();
            }

            await _closed.CancelAsync();
            await Task.WhenAll(_operations.Values.Select(o => o.Running));
            _receiving.Dispose();
            _closed.Dispose();
        }
    }

    /// <summary>The next text message, or null once the socket is closing.</summary>
    private async Task<byte[]?> ReceiveAsync()
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer.GetMemory(4096), _receiving.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await CloseAsync(1000, "Normal Closure");
                return null;
            }

            buffer.Advance(result.Count);
            if (buffer.WrittenCount > _maxMessageBytes)
            {
                await CloseAsync((int)WebSocketCloseStatus.MessageTooBig, $"A message may have at most {_maxMessageBytes} bytes");
                return null;
            }

            if (result.EndOfMessage)
            {
                if (result.MessageType != WebSocketMessageType.Text)
                {
                    await CloseAsync(4400, "Messages must be text (JSON)");
                    return null;
                }

                return buffer.WrittenSpan.ToArray();
            }
        }
    }

    /// <returns>The caller once <c>connection_init</c> is acknowledged; null otherwise.</returns>
    private async Task<CallerIdentity?> HandleAsync(byte[] text)
    {
        if (Volatile.Read(ref _closing) == 1)
        {
            return null;
        }

        JsonObject? message = null;
        try
        {
            message = JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
        }

        if (message?["type"] is not JsonValue typeValue || !typeValue.TryGetValue<string>(out var type))
        {
            await CloseAsync(4400, "Invalid message received");
            return null;
        }

        switch (type)
        {
            case "connection_init":
                return await InitialiseAsync(message["payload"]);
            case "ping":
                await SendAsync(message["payload"] is JsonObject payload
                    ? new JsonObject { ["type"] = "pong", ["payload"] = payload.DeepClone() }
                    : new JsonObject { ["type"] = "pong" });
                return null;
            case "pong":
                return null;
            case "subscribe":
                await SubscribeAsync(message);
                return null;
            case "complete" when Id(message) is { } id:
                if (_operations.TryRemove(id, out var operation))
                {
                    operation.Cancel();
                }

                return null;
            case "complete":
                await CloseAsync(4400, "Invalid message received: complete needs an id");
                return null;
            default:
                await CloseAsync(4400, $"Unexpected message of type {Truncate(type, 40)} received");
                return null;
        }
    }

    private async Task<CallerIdentity?> InitialiseAsync(JsonNode? payload)
    {
        if (Interlocked.Exchange(ref _initialised, 1) == 1)
        {
            await CloseAsync(4429, "Too many initialisation requests");
            return null;
        }

        if (payload is not null and not JsonObject)
        {
            await CloseAsync(4400, "Invalid message received: the connection_init payload must be an object");
            return null;
        }

        // A token on the upgrade request wins; browsers cannot set headers on a WebSocket and send it here instead.
        if (_caller is null && PayloadToken(payload as JsonObject) is { } token)
        {
            // Verified on a request of its own: the upgrade request's handler has already cached its anonymous result.
            await using var scope = _context.RequestServices.CreateAsyncScope();
            var probe = new DefaultHttpContext { RequestServices = scope.ServiceProvider, RequestAborted = _context.RequestAborted };
            probe.Request.Headers.Authorization = token.Contains(' ', StringComparison.Ordinal) ? token : "Bearer " + token;
            var (caller, refusal) = await BearerAuthentication.VerifyAsync(probe, _settings.Authentication);
            if (refusal is var (_, description))
            {
                await CloseAsync(4403, "Forbidden: " + description);
                return null;
            }

            _caller = caller;
        }

        _acknowledged = true;
        await SendAsync(new JsonObject { ["type"] = "connection_ack" });
        return _caller;
    }

    private static string? PayloadToken(JsonObject? payload)
    {
        var value = payload?["Authorization"] ?? payload?["authorization"];
        return value is JsonValue v && v.TryGetValue<string>(out var text) && text.Trim().Length > 0 ? text.Trim() : null;
    }

    private async Task SubscribeAsync(JsonObject message)
    {
        if (!_acknowledged)
        {
            await CloseAsync(4401, "Unauthorized");
            return;
        }

        if (Id(message) is not { } id || message["payload"] is not JsonObject payload
            || !OptionalString(payload, "query", out var query) || !OptionalString(payload, "operationName", out var operationName)
            || payload["variables"] is not (null or JsonObject) || payload["extensions"] is not (null or JsonObject))
        {
            await CloseAsync(4400, "Invalid message received: subscribe needs an id and a payload with the query");
            return;
        }

        if (_operations.Count >= _settings.Subscriptions.ParsedMaxOperationsPerConnection)
        {
            var error = Pipeline.GraphQLErrors.Error(
                $"This connection runs as many operations as it may ({_settings.Subscriptions.ParsedMaxOperationsPerConnection}, Subscriptions:MaxOperationsPerConnection); complete one first.",
                "TOO_MANY_OPERATIONS");
            await SendAsync(new JsonObject { ["id"] = id, ["type"] = "error", ["payload"] = new JsonArray(error) });
            return;
        }

        var request = GraphQLEndpoint.CreateRequest(_context, _engine, _settings, _caller, new GatewayRequest(
            query,
            operationName,
            (JsonObject?)payload["variables"]?.DeepClone(),
            Extensions: (JsonObject?)payload["extensions"]?.DeepClone(),
            Streams: true));
        var cancellation = CancellationTokenSource.CreateLinkedTokenSource(_closed.Token);
        var operation = new Operation(cancellation);
        if (!_operations.TryAdd(id, operation))
        {
            cancellation.Dispose();
            await CloseAsync(4409, $"Subscriber for {Truncate(id, 64)} already exists");
            return;
        }

        operation.Running = RunOperationAsync(id, operation, request);
    }

    private async Task RunOperationAsync(string id, Operation operation, GatewayRequest request)
    {
        // Off the receive loop: pings and other operations keep being read while this one runs.
        await Task.Yield();
        var token = operation.Cancellation.Token;
        try
        {
            var result = await _engine.ExecuteAsync(request, token);
            if (result.Stream is { } stream)
            {
                await foreach (var answer in stream.WithCancellation(token))
                {
                    await SendNextAsync(id, answer, token);
                }
            }
            else if (result.NotExecuted || !result.Body.ContainsKey("data"))
            {
                // Refused before execution: graphql-ws reports it with one error message and no complete.
                await SendAsync(new JsonObject { ["id"] = id, ["type"] = "error", ["payload"] = result.Body["errors"]?.DeepClone() ?? new JsonArray() }, token);
                return;
            }
            else
            {
                await SendNextAsync(id, result, token);
            }

            await SendAsync(new JsonObject { ["id"] = id, ["type"] = "complete" }, token);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // The client completed the operation or the socket is gone: nothing more is sent for it.
        }
        finally
        {
            _operations.TryRemove(KeyValuePair.Create(id, operation));
            operation.Cancellation.Dispose();
        }
    }

    private async Task SendNextAsync(string id, GatewayResult answer, CancellationToken cancellationToken)
    {
        using var body = BoundedResponse.Serialize(answer, _engine.Options.MaxResponseBytes);
        var prefix = Encoding.UTF8.GetBytes($$"""{"id":{{JsonSerializer.Serialize(id)}},"type":"next","payload":""");
        var message = new byte[prefix.Length + body.Length + 1];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        message[^1] = (byte)'}';
        await SendBytesAsync(message, cancellationToken);
    }

    private Task SendAsync(JsonObject message, CancellationToken cancellationToken = default) =>
        SendBytesAsync(JsonSerializer.SerializeToUtf8Bytes(message), cancellationToken);

    private async Task SendBytesAsync(byte[] message, CancellationToken cancellationToken)
    {
        await _send.WaitAsync(cancellationToken);
        try
        {
            if (_socket.State == WebSocketState.Open && Volatile.Read(ref _closing) == 0)
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var limit = _settings.Subscriptions.ParsedSendTimeout;
                timeout.CancelAfter(limit);
                try
                {
                    await _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or WebSocketException && timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    // A cancelled send aborts the WebSocket, so no close frame can follow; a client that reads nothing
                    // would not see one anyway. The reason goes to the log, and every operation of the socket ends.
                    Interlocked.Exchange(ref _closing, 1);
                    LogClosed(1008, $"Policy Violation: the client read nothing for {limit.TotalSeconds:0.###} s (Subscriptions:SendTimeout)");
                    await _closed.CancelAsync();
                    await _receiving.CancelAsync();
                    throw;
                }
            }
        }
        finally
        {
            _send.Release();
        }
    }

    /// <summary>
    /// Sends the close frame once, ends every operation, and gives the client <see cref="CloseHandshake"/> to answer it
    /// before the socket is aborted.
    /// </summary>
    private async Task CloseAsync(int code, string reason)
    {
        if (Interlocked.Exchange(ref _closing, 1) == 1)
        {
            return;
        }

        if (code is >= 4000 and not 4408)
        {
            LogClosed(code, reason);
        }

        try
        {
            await _closed.CancelAsync();
            await _send.WaitAsync();
            try
            {
                if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    using var timeout = new CancellationTokenSource(CloseHandshake);
                    await _socket.CloseOutputAsync((WebSocketCloseStatus)code, Truncate(reason, 120), timeout.Token);
                }
            }
            finally
            {
                _send.Release();
            }

            _receiving.CancelAfter(CloseHandshake);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The socket is already gone; there is nobody left to tell.
        }
    }

    private static string? Id(JsonObject message) =>
        message["id"] is JsonValue v && v.TryGetValue<string>(out var id) && id.Length > 0 ? id : null;

    private static bool OptionalString(JsonObject payload, string name, out string? value)
    {
        value = null;
        return payload[name] switch
        {
            null => true,
            JsonValue v when v.TryGetValue<string>(out var text) => (value = text) is not null,
            _ => false,
        };
    }

    /// <summary>A close reason may carry at most 123 UTF-8 bytes.</summary>
    private static string Truncate(string text, int maxChars)
    {
        var cut = text.Length <= maxChars ? text : text[..maxChars];
        while (Encoding.UTF8.GetByteCount(cut) > 123)
        {
            cut = cut[..^1];
        }

        return cut;
    }

    [LoggerMessage(1, LogLevel.Information, "Closed a graphql-transport-ws connection with {Code}: {Reason}")]
    private partial void LogClosed(int code, string reason);

    private sealed class Operation(CancellationTokenSource cancellation)
    {
        public CancellationTokenSource Cancellation { get; } = cancellation;

        public Task Running { get; set; } = Task.CompletedTask;

        /// <summary>The operation may have ended (and disposed its source) just before the client's complete arrived.</summary>
        public void Cancel()
        {
            try
            {
                Cancellation.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }
}
