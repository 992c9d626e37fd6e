using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Federation.Gateway.Tests.Fixtures;

/// <summary>
/// The fixture subgraphs behind real HTTP, with two gateways on the same supergraph: ours (in process) and Apollo
/// Gateway (tools/apollo-gateway, Node). Installs the pinned npm packages on first use.
/// </summary>
public sealed class ApolloOracleFixture : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gateway-oracle-").FullName;
    private WebApplication? _subgraphs;
    private Process? _apollo;

    public GatewayFixture Fixture { get; } = new();

    public GatewayEngine Engine { get; private set; } = null!;

    public HttpClient Apollo { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default", "Warning"]);
        _subgraphs = builder.Build();
        _subgraphs.MapPost("/{name}/graphql", async (string name, HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var answer = await Fixture.Subgraphs[name].HandleAsync(await reader.ReadToEndAsync(), context.RequestAborted);
            return Results.Text(answer, "application/json");
        });
        await _subgraphs.StartAsync();
        var root = _subgraphs.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        var options = new GatewayOptions();
        foreach (var name in Fixture.Subgraphs.Keys)
        {
            options.SubgraphUrls[name] = $"{root}/{name}/graphql";
        }

        Engine = new GatewayEngine(Fixture.SupergraphSdl, options);

        var tool = FindTool();
        if (!Directory.Exists(Path.Combine(tool, "node_modules")))
        {
            await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], tool, TimeSpan.FromMinutes(3));
        }

        var supergraph = Path.Combine(_directory, "supergraph.graphql");
        await File.WriteAllTextAsync(supergraph, Fixture.SupergraphSdl);
        var start = new ProcessStartInfo("node") { WorkingDirectory = tool, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "server.mjs", "--supergraph", supergraph, "--port", "0" }
            .Concat(options.SubgraphUrls.SelectMany(s => new[] { "--subgraph", $"{s.Key}={s.Value}" })))
        {
            start.ArgumentList.Add(argument);
        }

        _apollo = Process.Start(start)!;
        _apollo.ErrorDataReceived += (_, _) => { };
        _apollo.BeginErrorReadLine();
        var line = await _apollo.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (line is null || !line.StartsWith("listening ", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Apollo Gateway did not start: {line}");
        }

        Apollo = new HttpClient { BaseAddress = new Uri(line["listening ".Length..]) };
    }

    public async Task DisposeAsync()
    {
        Apollo?.Dispose();
        if (_apollo is { HasExited: false })
        {
            _apollo.Kill(entireProcessTree: true);
            await _apollo.WaitForExitAsync();
        }

        _apollo?.Dispose();
        Engine?.Dispose();
        if (_subgraphs is not null)
        {
            await _subgraphs.StopAsync();
            await _subgraphs.DisposeAsync();
        }

        Fixture.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static string FindTool()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var tool = Path.Combine(dir.FullName, "tools", "apollo-gateway");
            if (File.Exists(Path.Combine(tool, "server.mjs")))
            {
                return tool;
            }
        }

        throw new InvalidOperationException("tools/apollo-gateway not found above the test output directory.");
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
