using System.Globalization;
using Federation.Testing.Processes;

namespace Federation.Testing.Servers;

/// <summary>
/// Runs <c>tools/Federation.KafkaMock</c> (librdkafka's mock cluster) in its own process and reads its
/// bootstrap servers. Topics not created up front are created on first use with 4 partitions.
/// </summary>
public sealed class KafkaMockCluster : IAsyncDisposable
{
    private const string AssemblyName = "Federation.KafkaMock.dll";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly ChildProcess process;
    private int disposed;

    private KafkaMockCluster(ChildProcess process, string bootstrapServers)
    {
        this.process = process;
        BootstrapServers = bootstrapServers;
    }

    /// <summary>Value for Kafka's <c>bootstrap.servers</c> (and the subgraphs' <c>Kafka:BootstrapServers</c>).</summary>
    public string BootstrapServers { get; }

    public ChildProcess Process => process;

    /// <param name="brokers">Broker count; replication factor of created topics is min(3, brokers).</param>
    /// <param name="topics">Topics to create up front as (name, partitions).</param>
    /// <param name="cancellationToken">Cancels waiting for the bootstrap line.</param>
    public static async Task<KafkaMockCluster> StartAsync(
        int brokers = 1,
        IEnumerable<(string Name, int Partitions)>? topics = null,
        CancellationToken cancellationToken = default)
    {
        // Closing stdin on dispose stops the host cleanly; if the test host dies, the pipe closes too.
        List<string> arguments =
        [
            LocateHost(),
            "--exit-on-stdin-eof",
            "--brokers", brokers.ToString(CultureInfo.InvariantCulture),
        ];
        foreach (var (name, partitions) in topics ?? [])
        {
            arguments.Add("--topic");
            arguments.Add($"{name}:{partitions.ToString(CultureInfo.InvariantCulture)}");
        }

        var process = ChildProcess.Start("kafka-mock", DotnetHost(), arguments);
        try
        {
            var bootstrap = await process.WaitForLineAsync(line => !line.IsError, StartTimeout, cancellationToken);
            return new KafkaMockCluster(process, bootstrap);
        }
        catch
        {
            await process.DisposeAsync();
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

        // Closing stdin is the host's signal to destroy the cluster cleanly.
        process.CloseStandardInput();
        try
        {
            await process.WaitForExitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
            // WaitForExitAsync killed it.
        }

        await process.DisposeAsync();
    }

    /// <summary>The dotnet host running this test, so the mock uses the same runtime.</summary>
    public static string DotnetHost() =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet"
            ? path
            : ChildProcess.Which("dotnet") ?? "dotnet";

    private static string LocateHost()
    {
        string[] candidates =
        [
            Path.Combine(AppContext.BaseDirectory, AssemblyName),
            Path.Combine(RepositoryPaths.Root, "tools", "Federation.KafkaMock", "bin", "Debug", "net10.0", AssemblyName),
            Path.Combine(RepositoryPaths.Root, "tools", "Federation.KafkaMock", "bin", "Release", "net10.0", AssemblyName),
        ];
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                $"{AssemblyName} is not built; reference Federation.Testing (which builds it) or run `dotnet build tools/Federation.KafkaMock`. Looked in: {string.Join(", ", candidates)}");
    }
}
