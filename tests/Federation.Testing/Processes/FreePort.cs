using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Federation.Testing.Processes;

/// <summary>
/// Hands out loopback ports that were free a moment ago; never the same one twice per process. They come from below
/// the kernel's ephemeral range (<c>/proc/sys/net/ipv4/ip_local_port_range</c>), which the kernel never gives an
/// outgoing connection, so the many client sockets of suites running side by side cannot take one between this check
/// and the server's bind. A port from the ephemeral range did that on CI: a subgraph of the corpus fixture failed to
/// bind and 305 tests failed with it. Another test process can still pick the same port; the launchers that see
/// "address already in use" pick again.
/// </summary>
public static class FreePort
{
    private const int LowestPort = 20_000;
    private static readonly ConcurrentDictionary<int, byte> HandedOut = new();
    private static readonly int FirstEphemeralPort = ReadFirstEphemeralPort();

    public static int Next()
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = FirstEphemeralPort > LowestPort + 1_000
                ? Random.Shared.Next(LowestPort, FirstEphemeralPort)
                : KernelChosenPort();
            if (IsFree(port) && HandedOut.TryAdd(port, 0))
            {
                return port;
            }
        }

        throw new InvalidOperationException("Found no free loopback port this process had not handed out already.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int KernelChosenPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static int ReadFirstEphemeralPort()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return int.Parse(range[0], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 0;
        }
    }
}
