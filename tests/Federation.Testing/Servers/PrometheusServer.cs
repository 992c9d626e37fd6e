using System.Globalization;
using System.Text.Json.Nodes;
using Federation.Testing.Processes;

namespace Federation.Testing.Servers;

/// <summary>
/// Debian's Prometheus on a free port, scraping the given <c>/metrics</c> targets every second and evaluating the
/// committed rules (observability/prometheus/rules) every second, so an alert follows the metrics within seconds.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly ChildProcess server;
    private readonly string folder;
    private int disposed;

    private PrometheusServer(ChildProcess server, string folder, int port)
    {
        this.server = server;
        this.folder = folder;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/") };
    }

    public HttpClient Http { get; }

    /// <param name="targets">Job name to <c>host:port</c> serving <c>/metrics</c>.</param>
    public static async Task<PrometheusServer> StartAsync(IReadOnlyDictionary<string, string> targets, CancellationToken cancellationToken = default)
    {
        var executable = ChildProcess.Which("prometheus")
            ?? throw new InvalidOperationException("prometheus is not installed. Run `./federation up` once (tools/observability/lib.sh installs it) or `apt-get install -y prometheus`.");
        var folder = TestDirectories.Create("prometheus");
        var rules = Path.Combine(RepositoryPaths.Root, "observability", "prometheus", "rules");
        var jobs = string.Concat(targets.Select(target => $"""

              - job_name: {target.Key}
                static_configs: [{"{"} targets: ["{target.Value}"] {"}"}]
            """));
        var config = Path.Combine(folder, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            rule_files:
              - {rules}/*.yml
            scrape_configs:{jobs}
            """, cancellationToken);
        try
        {
            var (process, port) = await FreePort.StartAsync(
                port => ChildProcess.Start(
                    $"prometheus:{port}",
                    executable,
                    [
                        $"--config.file={config}",
                        $"--storage.tsdb.path={Path.Combine(folder, "data")}",
                        $"--web.listen-address=127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
                    ]),
                process => process.WaitForLineAsync("Server is ready to receive web requests.", StartTimeout, cancellationToken),
                process => process);
            return new PrometheusServer(process, folder, port);
        }
        catch
        {
            TestDirectories.Delete(folder);
            throw;
        }
    }

    /// <summary>The result vector of an instant query (<c>/api/v1/query</c>).</summary>
    public async Task<JsonArray> QueryAsync(string expression, CancellationToken cancellationToken = default)
    {
        var answer = await GetAsync($"api/v1/query?query={Uri.EscapeDataString(expression)}", cancellationToken);
        return answer["data"]!["result"]!.AsArray();
    }

    /// <summary>Active alerts (<c>/api/v1/alerts</c>): each with <c>labels</c>, <c>state</c> (pending, firing) and <c>value</c>.</summary>
    public async Task<JsonArray> AlertsAsync(CancellationToken cancellationToken = default) =>
        (await GetAsync("api/v1/alerts", cancellationToken))["data"]!["alerts"]!.AsArray();

    /// <summary>Scrape targets (<c>/api/v1/targets</c>) with their <c>health</c>.</summary>
    public async Task<JsonArray> TargetsAsync(CancellationToken cancellationToken = default) =>
        (await GetAsync("api/v1/targets", cancellationToken))["data"]!["activeTargets"]!.AsArray();

    private async Task<JsonNode> GetAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await Http.GetAsync(path, cancellationToken);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!;
        if (!response.IsSuccessStatusCode || answer["status"]?.GetValue<string>() != "success")
        {
            throw new InvalidOperationException($"Prometheus answered {(int)response.StatusCode} to {path}: {answer.ToJsonString()}");
        }

        return answer;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        Http.Dispose();
        await server.StopAsync(TimeSpan.FromSeconds(5));
        await server.DisposeAsync();
        TestDirectories.Delete(folder);
    }
}
