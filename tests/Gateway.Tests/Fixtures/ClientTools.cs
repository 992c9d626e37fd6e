using System.Text.Json.Nodes;
using Federation.Testing;
using Federation.Testing.Processes;

namespace Federation.Gateway.Tests.Fixtures;

/// <summary>
/// The node scripts in <c>tests/clients</c> (graphql-js, GraphiQL, Chromium through playwright-core) that play a
/// client against a gateway. Installs the pinned npm packages (and schema/'s, for composition) on first use.
/// </summary>
public static class ClientTools
{
    private static readonly SemaphoreSlim Install = new(1, 1);

    public static string Directory => Path.Combine(RepositoryPaths.Root, "tests", "clients");

    /// <summary>Runs <c>node script arguments</c> and returns the JSON object it prints as its last line.</summary>
    public static async Task<JsonObject> RunAsync(string script, IEnumerable<string> arguments, TimeSpan timeout)
    {
        await EnsureInstalledAsync();
        await using var node = ChildProcess.Start(script, "node", [script, .. arguments], new ChildProcessOptions { WorkingDirectory = Directory });
        var exitCode = await node.WaitForExitAsync(timeout);
        Assert.True(exitCode == 0, $"node {script} exited with {exitCode}:\n{node.OutputTail()}");
        return JsonNode.Parse(node.StandardOutputLines[^1])!.AsObject();
    }

    /// <summary>Starts <c>node script arguments</c> for a test that acts while the client runs.</summary>
    public static async Task<ChildProcess> StartAsync(string script, IEnumerable<string> arguments)
    {
        await EnsureInstalledAsync();
        return ChildProcess.Start(script, "node", [script, .. arguments], new ChildProcessOptions { WorkingDirectory = Directory });
    }

    /// <summary>A checkout installed before package.json gained a dependency needs <c>npm ci</c> again.</summary>
    private static bool IsInstalled(string package)
    {
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(package, "package.json")))!;
        return manifest["dependencies"] is not JsonObject dependencies
            || dependencies.All(d => System.IO.Directory.Exists(Path.Combine(package, "node_modules", d.Key)));
    }

    private static async Task EnsureInstalledAsync()
    {
        await Install.WaitAsync();
        try
        {
            foreach (var package in new[] { Directory, Path.Combine(RepositoryPaths.Root, "schema") })
            {
                if (IsInstalled(package))
                {
                    continue;
                }

                await using var npm = ChildProcess.Start("npm ci", "npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], new ChildProcessOptions { WorkingDirectory = package });
                var exitCode = await npm.WaitForExitAsync(TimeSpan.FromMinutes(5));
                Assert.True(exitCode == 0, $"npm ci in {package} failed:\n{npm.OutputTail()}");
            }
        }
        finally
        {
            Install.Release();
        }
    }
}
