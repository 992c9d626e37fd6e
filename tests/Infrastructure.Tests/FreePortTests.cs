using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Federation.Testing.Processes;

namespace Infrastructure.Tests;

public sealed class FreePortTests
{
    [Fact]
    public void Next_Should_HandOutPortsBelowTheEphemeralRange_When_TheKernelReservesOne()
    {
        // arrange
        var firstEphemeral = int.Parse(
            File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0],
            CultureInfo.InvariantCulture);

        // act
        var ports = Enumerable.Range(0, 200).Select(_ => FreePort.Next()).ToList();

        // assert
        Assert.All(ports, port => Assert.InRange(port, 1_024, firstEphemeral - 1));
        Assert.Equal(ports.Count, ports.Distinct().Count());
    }

    [Fact]
    public void Next_Should_HandOutAPortAServerCanBind_When_Called()
    {
        // arrange
        var port = FreePort.Next();

        // act
        using var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();

        // assert
        Assert.Equal(port, ((IPEndPoint)listener.LocalEndpoint).Port);
    }

    [Fact]
    public async Task StartAsync_Should_StartTheServerOnAnotherPort_When_ItsPortWasTakenBeforeItBound()
    {
        // arrange: a listener takes the first port between the pick and the server's bind
        var ports = new List<int>();
        TcpListener? taker = null;

        // act
        var (server, port) = await FreePort.StartAsync(
            port =>
            {
                ports.Add(port);
                if (ports.Count == 1)
                {
                    taker = new TcpListener(IPAddress.Loopback, port);
                    taker.Start();
                }

                return StartRedis(port);
            },
            ReadyAsync,
            redis => redis);
        await using var _ = server;
        taker?.Stop();

        // assert
        Assert.Equal(2, ports.Count);
        Assert.Equal(ports[1], port);
        Assert.NotEqual(ports[0], port);
        Assert.False(server.HasExited);
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
    }

    [Fact]
    public async Task StartAsync_Should_GiveUp_When_EveryPortItPicksIsTaken()
    {
        // arrange
        var takers = new List<TcpListener>();

        // act
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => FreePort.StartAsync(
            port =>
            {
                var taker = new TcpListener(IPAddress.Loopback, port);
                taker.Start();
                takers.Add(taker);
                return StartRedis(port);
            },
            ReadyAsync,
            redis => redis));
        takers.ForEach(taker => taker.Stop());

        // assert
        Assert.Equal(FreePort.StartAttempts, takers.Count);
        Assert.Contains("exited", failure.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task StartAsync_Should_NotStartAgain_When_TheServerFailsForAnotherReason()
    {
        // arrange
        var launches = 0;

        // act
        await Assert.ThrowsAsync<InvalidOperationException>(() => FreePort.StartAsync(
            port =>
            {
                launches++;
                return ChildProcess.Start("redis-bad-option", RedisExecutable, ["--port", port.ToString(CultureInfo.InvariantCulture), "--no-such-option", "x"]);
            },
            ReadyAsync,
            redis => redis));

        // assert
        Assert.Equal(1, launches);
    }

    private static string RedisExecutable =>
        ChildProcess.Which("redis-server") ?? throw new InvalidOperationException("redis-server is not installed (./federation up installs it).");

    private static ChildProcess StartRedis(int port) => ChildProcess.Start(
        $"redis-server:{port}",
        RedisExecutable,
        ["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", string.Empty, "--appendonly", "no"]);

    private static Task ReadyAsync(ChildProcess redis) => redis.WaitForLineAsync("Ready to accept connections", TimeSpan.FromSeconds(30));
}
