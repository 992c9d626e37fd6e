using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Federation.Gateway.Tests.Fixtures.Subscriptions;

/// <summary>A graphql-transport-ws client on <see cref="ClientWebSocket"/>, reading one message at a time.</summary>
public sealed class GraphQLWsClient : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private GraphQLWsClient(ClientWebSocket socket) => Socket = socket;

    public ClientWebSocket Socket { get; }

    /// <param name="protocol">The subprotocol asked for; null asks for none.</param>
    /// <param name="headers">More headers on the upgrade request.</param>
    public static async Task<GraphQLWsClient> ConnectAsync(
        Uri url, string? protocol = "graphql-transport-ws", string? authorization = null, IReadOnlyDictionary<string, string>? headers = null)
    {
        var socket = new ClientWebSocket();
        if (protocol is not null)
        {
            socket.Options.AddSubProtocol(protocol);
        }

        if (authorization is not null)
        {
            socket.Options.SetRequestHeader("Authorization", authorization);
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            socket.Options.SetRequestHeader(name, value);
        }

        using var timeout = new CancellationTokenSource(Patience);
        await socket.ConnectAsync(url, timeout.Token);
        return new GraphQLWsClient(socket);
    }

    /// <summary>Sends <c>connection_init</c> and expects <c>connection_ack</c>.</summary>
    public async Task InitAsync(JsonObject? payload = null)
    {
        await SendAsync(payload is null ? new JsonObject { ["type"] = "connection_init" } : new JsonObject { ["type"] = "connection_init", ["payload"] = payload });
        var ack = await ReceiveAsync();
        Assert.Equal("connection_ack", ack["type"]?.GetValue<string>());
    }

    public Task SubscribeAsync(string id, string query, JsonObject? variables = null) =>
        SendAsync(new JsonObject
        {
            ["id"] = id,
            ["type"] = "subscribe",
            ["payload"] = new JsonObject { ["query"] = query, ["variables"] = variables },
        });

    public Task SendAsync(JsonObject message) => SendAsync(message.ToJsonString());

    public async Task SendAsync(string text)
    {
        using var timeout = new CancellationTokenSource(Patience);
        await Socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
    }

    /// <summary>The next message; fails when the server closes instead.</summary>
    public async Task<JsonObject> ReceiveAsync()
    {
        var (message, status, description) = await ReadAsync();
        Assert.True(message is not null, $"The server closed the socket with {status}: {description}");
        return message!;
    }

    /// <summary>Reads until the server's close frame, failing on any other message; returns its code and reason.</summary>
    public async Task<(int Code, string? Reason)> ReceiveCloseAsync()
    {
        var (message, status, description) = await ReadAsync();
        Assert.True(message is null, $"Expected the socket to close, got {message?.ToJsonString()}");
        return ((int)status!, description);
    }

    /// <summary>Every message up to the server's close frame, and its code and reason.</summary>
    public async Task<(List<JsonObject> Messages, int Code, string? Reason)> ReceiveUntilCloseAsync()
    {
        var messages = new List<JsonObject>();
        while (true)
        {
            var (message, status, description) = await ReadAsync();
            if (message is null)
            {
                return (messages, (int)status!, description);
            }

            messages.Add(message);
        }
    }

    private async Task<(JsonObject? Message, WebSocketCloseStatus? Status, string? Description)> ReadAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        var buffer = new byte[64 * 1024];
        using var text = new MemoryStream();
        while (true)
        {
            var result = await Socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (null, Socket.CloseStatus, Socket.CloseStatusDescription);
            }

            text.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return ((JsonObject)JsonNode.Parse(text.ToArray())!, null, null);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
            }
        }

        Socket.Dispose();
    }
}
