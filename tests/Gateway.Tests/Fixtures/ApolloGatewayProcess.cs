using System.Diagnostics;
using Federation.Testing.Processes;

namespace Federation.Gateway.Tests.Fixtures;

/// <summary>
/// Apollo Gateway (tools/apollo-gateway, Node) on a supergraph file, pointed at the given subgraph URLs: the reference
/// every differential test compares our gateway with. Installs the pinned npm packages on first use.
/// </summary>
public sealed class ApolloGatewayProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ApolloGatewayProcess(Process process, Uri endpoint)
    {
        _process = process;
        Http = new HttpClient { BaseAddress = endpoint, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>Posts to the gateway's <c>/graphql</c> endpoint (the base address).</summary>
    public HttpClient Http { get; }

    /// <param name="subgraphAuthorization">An Authorization header value per subgraph name, sent with every subgraph request.</param>
    public static async Task<ApolloGatewayProcess> StartAsync(string supergraphFile, IReadOnlyDictionary<string, string> subgraphUrls, IReadOnlyDictionary<string, string>? subgraphAuthorization = null)
    {
        var tool = FindTool("apollo-gateway");
        await EnsureInstalledAsync(tool);

        var start = new ProcessStartInfo("node") { WorkingDirectory = tool, RedirectStandardOutput = true, RedirectStandardError = true };
        SetSubgraphAuthorization(start, subgraphAuthorization);
        foreach (var argument in new[] { "server.mjs", "--supergraph", supergraphFile, "--port", "0" }
            .Concat(subgraphUrls.SelectMany(s => new[] { "--subgraph", $"{s.Key}={s.Value}" })))
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        try
        {
            // Generous: on CI's two cores it starts beside seven subgraph processes and other suites.
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(180));
            if (line is null || !line.StartsWith("listening ", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"Apollo Gateway did not start: {line}");
            }

            return new ApolloGatewayProcess(process, new Uri(line["listening ".Length..]));
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await StopAsync(_process);
    }

    /// <summary>Kills a Node gateway with its children (npx/bin wrappers spawn one) and waits for it.</summary>
    internal static async Task StopAsync(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    /// <summary>The Node gateways read per-subgraph Authorization headers from <c>SUBGRAPH_AUTHORIZATION</c> (a JSON object), kept out of argv.</summary>
    internal static void SetSubgraphAuthorization(ProcessStartInfo start, IReadOnlyDictionary<string, string>? subgraphAuthorization)
    {
        foreach (var (name, value) in SubgraphAuthorizationEnvironment(subgraphAuthorization))
        {
            start.Environment[name] = value;
        }
    }

    /// <summary>The same variable, for a <see cref="ChildProcess"/>'s options.</summary>
    internal static Dictionary<string, string?> SubgraphAuthorizationEnvironment(IReadOnlyDictionary<string, string>? subgraphAuthorization) =>
        subgraphAuthorization is { Count: > 0 }
            ? new() { ["SUBGRAPH_AUTHORIZATION"] = System.Text.Json.JsonSerializer.Serialize(subgraphAuthorization) }
            : [];

    /// <summary><c>tools/{name}</c> (a Node package) above the test output directory.</summary>
    internal static string FindTool(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var tool = Path.Combine(dir.FullName, "tools", name);
            if (File.Exists(Path.Combine(tool, "package.json")))
            {
                return tool;
            }
        }

        throw new InvalidOperationException($"tools/{name} not found above the test output directory.");
    }

    /// <summary>Installs the tool's pinned npm packages (package-lock.json) unless they are there.</summary>
    internal static async Task EnsureInstalledAsync(string tool)
    {
        if (!Directory.Exists(Path.Combine(tool, "node_modules")))
        {
            await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], tool, TimeSpan.FromMinutes(5));
        }
    }

    private static async Task RunAsync(string file, string[] arguments, string directory, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed: {await output}{await error}");
        }
    }
}
