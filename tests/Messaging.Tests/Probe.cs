using System.Globalization;
using System.Text.RegularExpressions;
using Federation.Testing;
using Federation.Testing.Processes;
using Federation.Testing.Servers;

namespace Messaging.Tests;

/// <summary>Runs tests/MessagingProbe as its own process: a publishing or consuming service the test can SIGKILL.</summary>
internal sealed partial class Probe(ChildProcess process) : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public ChildProcess Process => process;

    public static Probe Start(string mode, string database, string bootstrap, params string[] arguments) =>
        new(ChildProcess.Start($"probe {mode}", KafkaMockCluster.DotnetHost(), [AssemblyPath(), mode, "--db", database, "--bootstrap", bootstrap, .. arguments], new ChildProcessOptions
        {
            MaxLinesKept = 200_000,
        }));

    /// <summary>Longest a probe may take to print a line it is still making progress towards (see <see cref="WaitForLineAsync"/>).</summary>
    private static readonly TimeSpan OverallTimeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Waits for a line containing <paramref name="text"/>. The probe prints its progress as it works ("committed N",
    /// status lines), so the wait fails when it stalls, after 60 s without a new line, or after 5 minutes in all: a
    /// fixed 60 s failed on a loaded 2-core machine while the publisher was still committing (870 of 1,500 rows).
    /// </summary>
    public async Task WaitForLineAsync(string text)
    {
        var started = DateTime.UtcNow;
        var line = process.WaitForLineAsync(text, OverallTimeout);
        var seen = process.Output.Count;
        while (await Task.WhenAny(line, Task.Delay(Timeout)) != line)
        {
            var printed = process.Output.Count;
            if (printed == seen || DateTime.UtcNow - started > OverallTimeout)
            {
                var why = printed == seen ? $"no new line for {Timeout.TotalSeconds:0} s" : $"still printing after {OverallTimeout.TotalMinutes:0} min";
                throw new TimeoutException($"{process} printed no line with \"{text}\" ({why}).\n{process.OutputTail()}");
            }

            seen = printed;
        }

        await line;
    }

    public async Task WaitForExitAsync()
    {
        var exit = await process.WaitForExitAsync(Timeout);
        Assert.True(exit == 0, $"probe exited with {exit}\n{process.OutputTail()}");
    }

    /// <summary>Waits until the probe's consumer status satisfies <paramref name="condition"/>.</summary>
    public Task<string> WaitForStatusAsync(Func<ProbeStatus, bool> condition, TimeSpan? timeout = null) =>
        process.WaitForLineAsync(line => ProbeStatus.TryParse(line.Text) is { } status && condition(status), timeout ?? Timeout);

    public ProbeStatus LastStatus() =>
        process.StandardOutputLines.Select(ProbeStatus.TryParse).LastOrDefault(status => status is not null)
        ?? throw new InvalidOperationException($"The probe printed no status.\n{process.OutputTail()}");

    /// <summary>SIGKILL: no shutdown hooks, no flush, no offset commit.</summary>
    public void Kill() => process.Kill();

    public async ValueTask DisposeAsync()
    {
        process.CloseStandardInput();
        await process.StopAsync(TimeSpan.FromSeconds(5));
        await process.DisposeAsync();
    }

    private static string AssemblyPath()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var path = Path.Combine(RepositoryPaths.Root, "tests", "MessagingProbe", "bin", configuration, "net10.0", "MessagingProbe.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build tests/MessagingProbe ({configuration}) first.", path);
    }

    internal sealed partial record ProbeStatus(long Applied, long Duplicates, long DeadLettered, long Failures, long Published, long Lag, double P50, double P99)
    {
        public static ProbeStatus? TryParse(string line)
        {
            var match = StatusLine().Match(line);
            if (!match.Success)
                return null;
            long Read(int group) => long.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);
            double Milliseconds(int group) => double.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);
            return new ProbeStatus(Read(1), Read(2), Read(3), Read(4), Read(5), Read(6), Milliseconds(7), Milliseconds(8));
        }

        [GeneratedRegex(@"^status applied=(\d+) duplicates=(\d+) deadLettered=(\d+) failures=(\d+) published=(\d+) lag=(\d+) p50=([\d.]+) p99=([\d.]+)$")]
        private static partial Regex StatusLine();
    }
}
