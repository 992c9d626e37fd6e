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
}
