using System.Net;
using System.Net.Sockets;

namespace Federation.KafkaMock;

/// <summary>
/// Relays a fixed loopback port to a mock broker's random one: librdkafka's mock binds port 0 only,
/// and a script wants a stable address across restarts.
/// </summary>
internal sealed class PortForwarder : IAsyncDisposable
{
    private readonly TcpListener listener;
    private readonly int targetPort;
    private readonly CancellationTokenSource stopping = new();
    private readonly Task acceptLoop;

    public PortForwarder(int listenPort, int targetPort)
    {
        this.targetPort = targetPort;
        listener = new TcpListener(IPAddress.Loopback, listenPort);
        listener.Start();
        acceptLoop = AcceptAsync(stopping.Token);
    }

    private async Task AcceptAsync(CancellationToken cancellationToken)
    {
        var connections = new List<Task>();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(cancellationToken);
                connections.RemoveAll(task => task.IsCompleted);
                connections.Add(RelayAsync(client, cancellationToken));
            }
        }
        catch (OperationCanceledException)
        {
        }

        await Task.WhenAll(connections);
    }

    private async Task RelayAsync(TcpClient client, CancellationToken cancellationToken)
    {
        using (client)
        using (var broker = new TcpClient())
        {
            try
            {
                client.NoDelay = true;
                broker.NoDelay = true;
                await broker.ConnectAsync(IPAddress.Loopback, targetPort, cancellationToken);
                var clientStream = client.GetStream();
                var brokerStream = broker.GetStream();
                // Either side closing ends the relay; the peer then sees its connection drop, as with a real broker.
                await Task.WhenAny(
                    clientStream.CopyToAsync(brokerStream, cancellationToken),
                    brokerStream.CopyToAsync(clientStream, cancellationToken));
            }
            catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        await acceptLoop;
        stopping.Dispose();
    }
}
