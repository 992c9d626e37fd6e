using System.Globalization;
using Federation.Testing.Processes;
using Federation.Testing.Servers;

namespace Infrastructure.Tests.Observability;

/// <summary>tools/observability/lib.sh, as ./federation up uses it: start, start again, check, stop, stop again.</summary>
public sealed class ObservabilityScriptTests
{
    [Fact]
    public async Task ObservabilityLib_Should_ReportTargetsUpAndRulesLoadedAndLeaveNoProcess_When_PrometheusStartedAndStoppedTwice()
    {
        // arrange: Prometheus scrapes its own /metrics, the one target every machine has.
        var folder = TestDirectories.Create("prometheus");
        var port = FreePort.Next();
        var script = $"""
            set -euo pipefail
            source '{ObservabilityFiles.InfraLibraryPath}'
            source '{ObservabilityFiles.LibraryPath}'
            obs_prometheus_config '{folder}/prometheus.yml' 1s self=127.0.0.1:{port}
            promtool check config '{folder}/prometheus.yml' >/dev/null
            echo "url $(obs_prometheus_start '{folder}' {port} '{folder}/prometheus.yml')"
            echo "url again $(obs_prometheus_start '{folder}' {port} '{folder}/prometheus.yml')"
            echo "prometheus-pid $(cat '{folder}/prometheus.pid')"
            echo "healthy $(obs_prometheus_wait_healthy http://127.0.0.1:{port} 1 30)"
            obs_prometheus_wait_healthy http://127.0.0.1:{port} 2 2 >/dev/null || echo "two targets expected: not healthy"
            for round in 1 2; do obs_prometheus_stop '{folder}'; done
            echo stopped
            """;

        try
        {
            // act
            var lines = await RunScriptAsync(script, TimeSpan.FromSeconds(90));

            // assert
            var rules = ObservabilityFiles.Rules().Count;
            Assert.Equal(
                [$"url http://127.0.0.1:{port}", $"url again http://127.0.0.1:{port}", $"healthy 1 targets up (self); {rules} rules in 4 groups loaded", "two targets expected: not healthy", "stopped"],
                lines.Where(line => !line.StartsWith("prometheus-pid ", StringComparison.Ordinal)));
            AssertStopped(lines, "prometheus-pid");
        }
        finally
        {
            TestDirectories.Delete(folder);
        }
    }

    [Fact]
    public async Task ObservabilityLib_Should_ServeTheAspireDashboardOnceAndLeaveNoProcess_When_StartedAndStoppedTwice()
    {
        // arrange
        var folder = TestDirectories.Create("aspire-dashboard");
        var (ui, otlp) = (FreePort.Next(), FreePort.Next());
        var script = $"""
            set -euo pipefail
            source '{ObservabilityFiles.InfraLibraryPath}'
            source '{ObservabilityFiles.LibraryPath}'
            echo "otlp $(obs_dashboard_start '{folder}' {ui} {otlp})"
            echo "otlp again $(obs_dashboard_start '{folder}' {ui} {otlp})"
            echo "dashboard-pid $(cat '{folder}/dashboard.pid')"
            echo "health $(curl -sf http://127.0.0.1:{ui}/health)"
            echo "ui $(curl -s -o /dev/null -w '%{"{http_code}"}' -L http://127.0.0.1:{ui}/traces)"
            for round in 1 2; do obs_dashboard_stop '{folder}'; done
            echo stopped
            """;

        try
        {
            // act: the first run on a machine restores the package (about 125 MB).
            var lines = await RunScriptAsync(script, TimeSpan.FromMinutes(5));

            // assert
            Assert.Equal(
                [$"otlp http://127.0.0.1:{otlp}", $"otlp again http://127.0.0.1:{otlp}", "health Healthy", "ui 200", "stopped"],
                lines.Where(line => !line.StartsWith("dashboard-pid ", StringComparison.Ordinal)));
            AssertStopped(lines, "dashboard-pid");
        }
        finally
        {
            TestDirectories.Delete(folder);
        }
    }

    private static async Task<IReadOnlyList<string>> RunScriptAsync(string script, TimeSpan timeout)
    {
        await using var bash = ChildProcess.Start("observability lib.sh", "/bin/bash", ["-c", script]);
        var exitCode = await bash.WaitForExitAsync(timeout);
        Assert.True(exitCode == 0, bash.OutputTail());
        return bash.StandardOutputLines;
    }

    private static void AssertStopped(IReadOnlyList<string> lines, string name)
    {
        var pid = int.Parse(lines.Single(line => line.StartsWith(name + " ", StringComparison.Ordinal)).Split(' ')[1], CultureInfo.InvariantCulture);
        Assert.False(ProcessState.IsRunning(pid), $"{name} {pid} is still running");
    }
}
