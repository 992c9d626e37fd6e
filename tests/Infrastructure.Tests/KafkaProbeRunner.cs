using Federation.Testing.Processes;
using Federation.Testing.Servers;

namespace Infrastructure.Tests;

/// <summary>Runs tests/KafkaProbe as its own process and parses what it printed.</summary>
internal static class KafkaProbeRunner
{
    public static async Task<ProbeRun> RunAsync(params string[] arguments)
    {
        var assembly = Path.Combine(AppContext.BaseDirectory, "KafkaProbe.dll");
        await using var process = ChildProcess.Start($"kafka-probe {arguments[1]}", KafkaMockCluster.DotnetHost(), [assembly, .. arguments]);
        var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(45));
        return new ProbeRun(exitCode, process.StandardOutputLines, process.OutputTail());
    }

    public static Task<ProbeRun> ProduceAsync(string bootstrap, string topic, int count, string prefix) =>
        RunAsync("--role", "producer", "--bootstrap", bootstrap, "--topic", topic, "--count", count.ToString(System.Globalization.CultureInfo.InvariantCulture), "--prefix", prefix);

    /// <summary>Every topic of the cluster with its partition count.</summary>
    public static async Task<Dictionary<string, int>> TopicsAsync(string bootstrap)
    {
        var run = await RunAsync("--role", "metadata", "--bootstrap", bootstrap);
        return run.ExitCode == 0
            ? run.Lines.Where(line => line.StartsWith("topic ", StringComparison.Ordinal)).Select(line => line.Split(' '))
                .ToDictionary(parts => parts[1], parts => int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture))
            : throw new InvalidOperationException(run.Tail);
    }

    public static Task<ProbeRun> ConsumeAsync(string bootstrap, string topic, string group, int? max = null)
    {
        List<string> arguments = ["--role", "consumer", "--bootstrap", bootstrap, "--topic", topic, "--group", group, "--timeout-ms", "30000"];
        if (max is { } limit)
        {
            arguments.AddRange(["--max", limit.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }

        return RunAsync([.. arguments]);
    }
}

/// <summary>Exit code and parsed lines of one probe run; <c>delivered|consumed VALUE PARTITION:OFFSET</c>.</summary>
internal sealed record ProbeRun(int ExitCode, IReadOnlyList<string> Lines, string Tail)
{
    public IReadOnlyList<ProbeMessage> Messages(string verb) =>
        Lines.Where(line => line.StartsWith(verb + " ", StringComparison.Ordinal))
            .Select(line => line.Split(' '))
            .Select(parts => new ProbeMessage(parts[1], parts[2]))
            .ToList();
}

internal sealed record ProbeMessage(string Value, string Position);
