using System.Globalization;
using System.Runtime.InteropServices;
using Federation.KafkaMock;

if (args is ["--help"] or ["-h"])
{
    Console.Out.WriteLine(MockOptions.Usage);
    return 0;
}

MockOptions options;
try
{
    options = MockOptions.Parse(args);
}
catch (ArgumentException exception)
{
    Console.Error.WriteLine(exception.Message);
    Console.Error.WriteLine(MockOptions.Usage);
    return 2;
}

var stop = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
if (options.ExitOnStdinEof)
{
    _ = Task.Factory.StartNew(
        () =>
        {
            while (Console.In.ReadLine() is not null)
            {
            }

            stop.TrySetResult("stdin closed");
        },
        TaskCreationOptions.LongRunning);
}

using var cluster = MockCluster.Start(options.Brokers);
foreach (var topic in options.Topics)
{
    cluster.CreateTopic(topic.Name, topic.Partitions);
}

cluster.SetGroupInitialRebalanceDelay(options.GroupInitialRebalanceDelayMs);

var forwarders = new List<PortForwarder>();
var bootstraps = cluster.Bootstraps;
if (options.Port > 0)
{
    var brokerPorts = cluster.Bootstraps.Split(',').Select(address => int.Parse(address[(address.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture)).ToArray();
    for (var brokerId = 1; brokerId <= brokerPorts.Length; brokerId++)
    {
        var port = options.Port + brokerId - 1;
        try
        {
            forwarders.Add(new PortForwarder(port, brokerPorts[brokerId - 1]));
        }
        catch (System.Net.Sockets.SocketException exception)
        {
            Console.Error.WriteLine($"Cannot listen on 127.0.0.1:{port}: {exception.Message}");
            return 1;
        }

        cluster.Advertise(brokerId, "127.0.0.1", port);
    }

    bootstraps = string.Join(',', Enumerable.Range(options.Port, brokerPorts.Length).Select(port => $"127.0.0.1:{port}"));
}

// Callers wait for this exact first line; anything diagnostic goes to stderr.
Console.Out.WriteLine(bootstraps);
Console.Out.Flush();
Console.Error.WriteLine($"kafka mock cluster (librdkafka {MockCluster.LibraryVersion}, {options.Brokers} broker(s)) at {bootstraps}");

var reason = await stop.Task;
Console.Error.WriteLine($"kafka mock cluster stopping: {reason}");
foreach (var forwarder in forwarders)
{
    await forwarder.DisposeAsync();
}

return 0;

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.TrySetResult(context.Signal.ToString());
}
