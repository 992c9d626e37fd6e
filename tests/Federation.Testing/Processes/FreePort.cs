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
/// bind and 305 tests failed with it. Another test process can still pick the same port: servers started through
/// <see cref="StartAsync{T}"/> are started again on another port when they report theirs taken.
/// </summary>
public static class FreePort
{
    private const int LowestPort = 20_000;
    private static readonly ConcurrentDictionary<int, byte> HandedOut = new();
    private static readonly int FirstEphemeralPort = ReadFirstEphemeralPort();

    /// <summary>Ports a server gets before <see cref="StartAsync{T}"/> gives up: each one was free when picked.</summary>
    public const int StartAttempts = 3;

    public static int Next()
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            int port;
            if (FirstEphemeralPort > LowestPort + 1_000)
            {
                port = Random.Shared.Next(LowestPort, FirstEphemeralPort);
                if (!IsFree(port))
                {
                    continue;
                }
            }
            else
            {
                // A port the kernel chose was just bound, so it needs no second check.
                port = KernelChosenPort();
            }

            if (HandedOut.TryAdd(port, 0))
            {
                return port;
            }
        }

        throw new InvalidOperationException("Found no free loopback port this process had not handed out already.");
    }

    /// <summary>
    /// Starts a server on a port from <see cref="Next"/> and waits until it is ready. When it fails and its output says
    /// its port was taken ("address already in use": Kestrel, PostgreSQL, Redis and Prometheus all say so), the
    /// server is disposed and started again on another port, at most <see cref="StartAttempts"/> times. Any other
    /// failure is thrown after the server is disposed.
    /// </summary>
    /// <param name="launch">Starts the server listening on the port it is given.</param>
    /// <param name="ready">Waits until the server is ready; throws <see cref="InvalidOperationException"/> when it exits first.</param>
    /// <param name="process">The server's process, whose output tells whether its port was taken.</param>
    public static async Task<(T Server, int Port)> StartAsync<T>(Func<int, T> launch, Func<T, Task> ready, Func<T, ChildProcess> process)
        where T : IAsyncDisposable
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = Next();
            var server = launch(port);
            try
            {
                await ready(server);
                return (server, port);
            }
            catch (InvalidOperationException) when (attempt < StartAttempts && PortTaken(process(server)))
            {
                await server.DisposeAsync();
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>Whether the process said it could not listen because its port was in use.</summary>
    public static bool PortTaken(ChildProcess process) =>
        process.Output.Any(line => line.Text.Contains("address already in use", StringComparison.OrdinalIgnoreCase));

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
