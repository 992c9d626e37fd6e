using System.Globalization;
using Federation.Testing.Processes;

namespace Federation.Testing.Servers;

/// <summary>A throwaway <c>redis-server</c> on a free loopback port with persistence switched off.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly ChildProcess server;
    private readonly string folder;
    private int disposed;

    private RedisServer(ChildProcess server, string folder, int port)
    {
        this.server = server;
        this.folder = folder;
        Port = port;
    }

    public string Host => "127.0.0.1";

    public int Port { get; }

    /// <summary>StackExchange.Redis configuration string.</summary>
    public string ConnectionString => $"{Host}:{Port}";

    public ChildProcess Process => server;

    public static async Task<RedisServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var executable = ChildProcess.Which("redis-server")
            ?? throw new InvalidOperationException(
                "redis-server is not installed. Run `./federation up` once (it installs it) or `apt-get install -y redis-server`.");

        var folder = TestDirectories.Create("redis");
        try
        {
            var (process, port) = await FreePort.StartAsync(
                port => ChildProcess.Start(
                    $"redis-server:{port}",
                    executable,
                    [
                        "--port", port.ToString(CultureInfo.InvariantCulture),
                        "--bind", "127.0.0.1",
                        "--save", string.Empty,
                        "--appendonly", "no",
                        "--dir", folder,
                        "--daemonize", "no",
                        "--protected-mode", "no",
                    ]),
                process => process.WaitForLineAsync("Ready to accept connections", StartTimeout, cancellationToken),
                process => process);
            return new RedisServer(process, folder, port);
        }
        catch
        {
            TestDirectories.Delete(folder);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Idempotent: the shared infrastructure's exit handler may stop it again after the test framework did.
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        await server.StopAsync(TimeSpan.FromSeconds(5));
        await server.DisposeAsync();
        TestDirectories.Delete(folder);
    }
}
