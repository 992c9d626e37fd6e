using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Federation.Testing.Processes;

/// <summary>Hands out loopback ports that were free a moment ago; never the same one twice per process.</summary>
public static class FreePort
{
    private static readonly ConcurrentDictionary<int, byte> HandedOut = new();

    public static int Next()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            if (HandedOut.TryAdd(port, 0))
            {
                return port;
            }
        }

        throw new InvalidOperationException("The kernel kept handing out ports this process already used.");
    }
}
