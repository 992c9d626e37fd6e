using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Federation.Testing.Processes;

namespace Federation.Gateway.Tests.Fixtures;

/// <summary>
/// Hive Gateway (tools/hive-gateway, Node) on a supergraph whose <c>@join__graph</c> URLs are rewritten to the given
/// subgraphs (it has no URL overrides): the second oracle, asked only where Apollo Gateway and ours disagree.
/// </summary>
public sealed class HiveGatewayProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly string _directory;

    private HiveGatewayProcess(ChildProcess process, string directory, Uri endpoint)
    {
        _process = process;
        _directory = directory;
        Http = new HttpClient { BaseAddress = endpoint, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>Posts to the gateway's <c>/graphql</c> endpoint (the base address).</summary>
    public HttpClient Http { get; }

    /// <param name="subgraphAuthorization">An Authorization header value per subgraph name, sent with every subgraph request.</param>
    public static async Task<HiveGatewayProcess> StartAsync(string supergraphSdl, IReadOnlyDictionary<string, string> subgraphUrls, IReadOnlyDictionary<string, string>? subgraphAuthorization = null)
    {
        var tool = ApolloGatewayProcess.FindTool("hive-gateway");
        await ApolloGatewayProcess.EnsureInstalledAsync(tool);

        foreach (var (name, url) in subgraphUrls)
        {
            supergraphSdl = Regex.Replace(supergraphSdl, $"(@join__graph\\(name: \"{Regex.Escape(name)}\", url: \")[^\"]*(\")", m => m.Groups[1].Value + url + m.Groups[2].Value);
        }

        var directory = Directory.CreateTempSubdirectory("hive-gateway-").FullName;
        var supergraph = Path.Combine(directory, "supergraph.graphql");
        await File.WriteAllTextAsync(supergraph, supergraphSdl);
        var port = FreePort.Next();
        var process = ChildProcess.Start(
            "hive-gateway",
            Path.Combine(tool, "node_modules", ".bin", "hive-gateway"),
            ["supergraph", supergraph, "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--config-path", Path.Combine(tool, "gateway.config.mjs")],
            new ChildProcessOptions
            {
                WorkingDirectory = tool,
                Environment = ApolloGatewayProcess.SubgraphAuthorizationEnvironment(subgraphAuthorization),
                MaxLinesKept = 200,
            });
        var hive = new HiveGatewayProcess(process, directory, new Uri($"http://127.0.0.1:{port}/graphql"));
        try
        {
            // As generous as Apollo Gateway's start: CI's two cores once ran the whole start past 90 s beside the
            // seven subgraphs and other suites (a connection refused at 90 s, with the process still running).
            await hive.WaitUntilServingAsync(TimeSpan.FromSeconds(180));
            return hive;
        }
        catch
        {
            await hive.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _process.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task WaitUntilServingAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Hive Gateway exited with code {_process.ExitCode} while starting:\n{_process.OutputTail()}");
            }

            try
            {
                using var response = await Http.PostAsJsonAsync(string.Empty, new { query = "{ __typename }" });
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Hive Gateway did not answer within {timeout}:\n{_process.OutputTail()}");
            }

            await Task.Delay(250);
        }
    }
}
