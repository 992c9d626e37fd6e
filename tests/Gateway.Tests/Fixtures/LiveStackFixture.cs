using System.Globalization;
using System.Text.Json.Nodes;
using Federation.Testing;
using Federation.Testing.Processes;
using Federation.Testing.Security;
using Federation.Testing.Servers;
using Federation.Testing.Subgraphs;

namespace Federation.Gateway.Tests.Fixtures;

/// <summary>
/// Catalog and inventory as real processes (seeded, one PostgreSQL and one Kafka mock) for tests that freeze a subgraph
/// with SIGSTOP or send abusive documents straight at one. A test starts the gateway it needs as its own process
/// (<see cref="StartGatewayAsync"/>), so its settings are the test's and its memory is measured alone; tests that only
/// send requests a default gateway refuses share one (<see cref="SharedGatewayAsync"/>).
/// </summary>
public sealed class LiveStackFixture : IAsyncLifetime
{
    private readonly Lock _sharedGate = new();
    private PostgresServer? _postgres;
    private KafkaMockCluster? _kafka;
    private Task<GatewayProcess>? _sharedGateway;

    public SubgraphProcess Catalog { get; private set; } = null!;

    public SubgraphProcess Inventory { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var kafkaStart = KafkaMockCluster.StartAsync();
        _postgres = await PostgresServer.StartAsync();
        _kafka = await kafkaStart;
        var catalog = StartAsync("Catalog");
        var inventory = StartAsync("Inventory");
        Catalog = await catalog;
        Inventory = await inventory;
    }

    private async Task<SubgraphProcess> StartAsync(string project) =>
        await SubgraphProcess.StartAsync(project, new Dictionary<string, string?>
        {
            [$"ConnectionStrings__{project}"] = await _postgres!.CreateDatabaseAsync(project.ToLowerInvariant()),
            ["Kafka__BootstrapServers"] = _kafka!.BootstrapServers,
        });

    /// <summary>
    /// Starts the gateway (<see cref="GatewayProcess.StartAsync"/>) with catalog and inventory pointed at the processes
    /// above and every other subgraph at a port nothing listens on; <paramref name="settings"/> are more command-line keys.
    /// </summary>
    public Task<GatewayProcess> StartGatewayAsync(params string[] settings)
    {
        var urls = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["catalog"] = new Uri(Catalog.BaseAddress, "graphql").ToString(),
            ["inventory"] = new Uri(Inventory.BaseAddress, "graphql").ToString(),
        };
        foreach (var name in new[] { "accounts", "orders", "payments", "reviews", "notifications", "alerting" })
        {
            urls[name] = $"http://127.0.0.1:{FreePort.Next().ToString(CultureInfo.InvariantCulture)}/graphql";
        }

        return GatewayProcess.StartAsync(urls, settings);
    }

    /// <summary>
    /// A gateway with the default settings, started (and answered once, so it is warm) on first use and stopped with
    /// the stack. Only for requests that leave no state in it: a test whose settings or measurements are its own starts
    /// its own gateway.
    /// </summary>
    public Task<GatewayProcess> SharedGatewayAsync()
    {
        lock (_sharedGate)
        {
            return _sharedGateway ??= StartWarmGatewayAsync();
        }
    }

    /// <summary>A gateway of the caller's own with the default settings, answered once through both subgraphs so it is warm.</summary>
    public async Task<GatewayProcess> StartWarmGatewayAsync()
    {
        var gateway = await StartGatewayAsync();
        await gateway.PostAsync("{ products(first: 3) { nodes { id name stock { available } } } }");
        return gateway;
    }

    public async Task DisposeAsync()
    {
        if (_sharedGateway is { IsCompletedSuccessfully: true })
        {
            await _sharedGateway.Result.DisposeAsync();
        }

        foreach (var subgraph in new[] { Catalog, Inventory })
        {
            if (subgraph is not null)
            {
                // A test that failed half-way may have left it stopped; a stopped process ignores SIGTERM.
                Signals.Continue(subgraph.Process.Id);
                await subgraph.DisposeAsync();
            }
        }

        if (_kafka is not null)
        {
            await _kafka.DisposeAsync();
        }

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }
}

/// <summary>The gateway host as its own process.</summary>
public sealed class GatewayProcess(ChildProcess process, Uri baseAddress) : IAsyncDisposable
{
    public ChildProcess Process { get; } = process;

    public Uri BaseAddress { get; } = baseAddress;

    public HttpClient Http { get; } = new() { BaseAddress = new Uri(baseAddress, "graphql"), Timeout = TimeSpan.FromSeconds(120) };

    /// <summary>
    /// Starts <c>gateway/Gateway</c>'s build output on the committed supergraph with each subgraph at its URL in
    /// <paramref name="subgraphUrls"/>, signing internal tokens with the run's test key; <paramref name="settings"/> are
    /// more command-line keys, <paramref name="environment"/> the process's variables (default: warnings only).
    /// </summary>
    public static Task<GatewayProcess> StartAsync(
        IReadOnlyDictionary<string, string> subgraphUrls, IEnumerable<string> settings, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var port = FreePort.Next();
        List<string> arguments =
        [
            AssemblyPath(),
            "--supergraph", Path.Combine(RepositoryPaths.Root, "schema", "supergraph.graphql"),
            "--urls", $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
            // The subgraphs answer only internal tokens signed with the run's test key.
            "--InternalTokens:KeysPath", TestInternalTokens.PrivateKeysPath,
        ];
        foreach (var (name, url) in subgraphUrls)
        {
            arguments.AddRange([$"--Subgraphs:{name}:Url", url]);
        }

        arguments.AddRange(settings);
        return StartAsync(port, arguments, environment ?? new Dictionary<string, string?> { ["Logging__LogLevel__Default"] = "Warning" });
    }

    /// <summary>Resident memory of the gateway process now, from <c>/proc/{pid}/status</c>.</summary>
    public long ResidentBytes => ProcessMemory.ResidentBytes(Process.Id);

    /// <summary>Starts <c>dotnet</c> with <paramref name="arguments"/> (the gateway's assembly first, listening on <paramref name="port"/>) and waits until it is live.</summary>
    public static async Task<GatewayProcess> StartAsync(int port, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment)
    {
        var process = ChildProcess.Start($"gateway:{port}", "dotnet", arguments, new ChildProcessOptions { Environment = environment });
        var gateway = new GatewayProcess(process, new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/"));
        try
        {
            await gateway.WaitUntilLiveAsync();
            return gateway;
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }
    }

    public static string AssemblyPath()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            ? "Release"
            : "Debug";
        var path = Path.Combine(RepositoryPaths.Root, "gateway", "Gateway", "bin", configuration, "net10.0", "Gateway.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build gateway/Gateway ({configuration}) first.", path);
    }

    /// <summary>Posts a GraphQL request and returns the status and the body as JSON.</summary>
    public Task<(int Status, JsonObject Body)> PostAsync(string query, JsonObject? variables = null, CancellationToken cancellationToken = default) =>
        PostAsync(new JsonObject { ["query"] = query, ["variables"] = variables?.DeepClone() }, cancellationToken);

    /// <summary>Posts a whole GraphQL request body (query, extensions, ...) and returns the status and the body as JSON.</summary>
    public async Task<(int Status, JsonObject Body)> PostAsync(JsonObject request, CancellationToken cancellationToken = default)
    {
        using var content = new StringContent(request.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        using var response = await Http.PostAsync(string.Empty, content, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return ((int)response.StatusCode, JsonNode.Parse(text) as JsonObject ?? throw new InvalidOperationException($"Not a JSON object ({(int)response.StatusCode}): {text}"));
    }

    internal async Task WaitUntilLiveAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        while (true)
        {
            if (Process.HasExited)
            {
                throw new InvalidOperationException($"The gateway exited with {Process.ExitCode} before it was live:\n{Process.OutputTail()}");
            }

            try
            {
                using var response = await probe.GetAsync("health/live");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The gateway was not live within 60 s:\n{Process.OutputTail()}");
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Process.StopAsync(TimeSpan.FromSeconds(5));
        await Process.DisposeAsync();
    }
}

public static class ProcessMemory
{
    /// <summary>VmRSS of <paramref name="pid"/> in bytes.</summary>
    public static long ResidentBytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException($"No VmRSS for process {pid}.");
    }
}
