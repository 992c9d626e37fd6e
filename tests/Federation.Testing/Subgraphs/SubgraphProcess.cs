using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Federation.Testing.Processes;
using Federation.Testing.Security;

namespace Federation.Testing.Subgraphs;

/// <summary>
/// A subgraph started from its build output as its own process on a free port, the way
/// <c>./federation up</c> runs it, with every SQL statement it executes logged one per line so tests
/// can count statements and read the SQL. It trusts the test run's gateway key (<see cref="TestInternalTokens"/>)
/// unless told otherwise, and <see cref="Http"/> sends an internal token with every request, as the gateway does.
/// </summary>
public sealed class SubgraphProcess : IAsyncDisposable
{
    private const string SqlMarker = "Executed DbCommand";
    // 3 s of CPU on an idle machine; CI's run of Gateway.Tests beside Messaging.Tests and Accounts.Tests on 2 cores (run
    // queue 30-98) once took catalog past 90 s, migrations and seed, and failed the 37 tests of its fixture.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(180);

    private readonly Dictionary<string, string?> environment;
    private ChildProcess process;

    private SubgraphProcess(string project, ChildProcess process, int port, Dictionary<string, string?> environment)
    {
        Project = project;
        this.process = process;
        this.environment = environment;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        Http = CreateClient();
    }

    public string Project { get; }

    public Uri BaseAddress { get; }

    /// <summary>Sends an anonymous caller's internal token for this subgraph unless a request sets its own Authorization.</summary>
    public HttpClient Http { get; }

    /// <summary>The subgraph's name, the audience of its internal tokens (<c>accounts</c> for <c>Accounts</c>).</summary>
    public string Name => Project.ToLowerInvariant();

    /// <summary>
    /// A client whose requests carry an internal token for this subgraph naming the caller <paramref name="userId"/>
    /// with <paramref name="scopes"/> (anonymous when null), unless a request sets its own Authorization.
    /// </summary>
    public HttpClient CreateClient(string? userId = null, params string[] scopes) =>
        new(new TestInternalTokens.Handler(Name, userId, scopes, new SocketsHttpHandler()))
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };

    public ChildProcess Process => process;

    /// <summary>The built entry assembly of <c>subgraphs/{project}</c> in the configuration the tests were built in.</summary>
    public static string AssemblyPath(string project)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            ? "Release"
            : "Debug";
        var path = Path.Combine(RepositoryPaths.Root, "subgraphs", project, "bin", configuration, "net10.0", project + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build subgraphs/{project} ({configuration}) first.", path);
    }

    /// <summary>Starts the subgraph and waits until <c>/health/ready</c> answers 200 (migrations and seed done).</summary>
    public static async Task<SubgraphProcess> StartAsync(string project, IReadOnlyDictionary<string, string?> environment)
    {
        var env = new Dictionary<string, string?>(environment)
        {
            ["InternalTokens__PublicKeysPath"] = environment.TryGetValue("InternalTokens__PublicKeysPath", out var keys) ? keys : TestInternalTokens.PublicKeysPath,
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Logging__LogLevel__Microsoft.EntityFrameworkCore.Database.Command"] = "Information",
            ["Logging__Console__FormatterName"] = "simple",
            ["Logging__Console__FormatterOptions__SingleLine"] = "true",
        };
        var (subgraph, _) = await FreePort.StartAsync(
            port => new SubgraphProcess(project, Launch(project, port, env), port, env),
            subgraph => subgraph.WaitUntilReadyAsync(),
            subgraph => subgraph.process);
        return subgraph;
    }

    /// <summary>SIGKILL, the crash a fault test injects: no shutdown code runs, the port is closed by the kernel.</summary>
    public void Kill() => process.Kill();

    /// <summary>
    /// Starts the project again after <see cref="Kill"/> on the same port with the same environment (the callers'
    /// URLs stay valid), and waits until it is ready.
    /// </summary>
    public async Task RestartAsync()
    {
        await process.DisposeAsync();
        process = Launch(Project, BaseAddress.Port, environment);
        await WaitUntilReadyAsync();
    }

    private static ChildProcess Launch(string project, int port, Dictionary<string, string?> environment) =>
        ChildProcess.Start(project, "dotnet", [AssemblyPath(project), "--urls", $"http://127.0.0.1:{port}"], new ChildProcessOptions
        {
            WorkingDirectory = Path.GetDirectoryName(AssemblyPath(project)),
            Environment = environment,
            MaxLinesKept = 1_000_000,
        });

    /// <summary>Runs <c>{project}.dll schema print</c> and returns the SDL it prints.</summary>
    public static async Task<string> PrintSchemaAsync(string project)
    {
        await using var child = ChildProcess.Start(project + " schema print", "dotnet", [AssemblyPath(project), "schema", "print"]);
        var exit = await child.WaitForExitAsync(TimeSpan.FromSeconds(60));
        if (exit != 0)
            throw new InvalidOperationException($"schema print exited with {exit}:\n{child.OutputTail()}");
        return string.Join('\n', child.StandardOutputLines) + "\n";
    }

    private async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            if (process.HasExited)
            {
                // Every line is read once the pipes reach end of file: the caller looks for the cause in them.
                var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(10));
                throw new InvalidOperationException($"{Project} exited with {exitCode} before it was ready:\n{process.OutputTail()}");
            }
            try
            {
                using var response = await Http.GetAsync("health/ready");
                if (response.IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
            }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{Project} was not ready within {StartTimeout}:\n{process.OutputTail()}");
            await Task.Delay(200);
        }
    }

    /// <summary>
    /// POSTs a GraphQL request and returns the response body as JSON, whatever the status. Without
    /// <paramref name="authorization"/> the request carries <see cref="Http"/>'s anonymous internal token.
    /// </summary>
    public async Task<JsonObject> QueryAsync(string query, object? variables = null, string? operationName = null, AuthenticationHeaderValue? authorization = null)
    {
        using var response = await PostAsync(query, variables, operationName, authorization);
        var body = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(body) as JsonObject ?? throw new InvalidOperationException($"Not a JSON object ({(int)response.StatusCode}): {body}");
    }

    public Task<HttpResponseMessage> PostAsync(string query, object? variables = null, string? operationName = null, AuthenticationHeaderValue? authorization = null)
    {
        var payload = JsonSerializer.Serialize(new { query, variables, operationName });
        var request = new HttpRequestMessage(HttpMethod.Post, "graphql")
        {
            Content = new StringContent(payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/graphql-response+json"));
        request.Headers.Authorization = authorization;
        return Http.SendAsync(request);
    }

    /// <summary>Starts recording: the returned capture lists the SQL the subgraph ran after this call.</summary>
    private SqlCapture CaptureSql() => new(this, process.Output.Count);

    /// <summary>
    /// Starts recording once the subgraph's output has been quiet for a moment: log lines arrive
    /// asynchronously (the console logger's queue, then the pipe), so an earlier request's SQL could
    /// otherwise land in this capture.
    /// </summary>
    public async Task<SqlCapture> CaptureSqlAsync()
    {
        await WaitForQuietOutputAsync();
        return CaptureSql();
    }

    private async Task WaitForQuietOutputAsync()
    {
        var quiet = TimeSpan.FromMilliseconds(300);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        var count = process.Output.Count;
        var quietSince = DateTime.UtcNow;
        while (DateTime.UtcNow - quietSince < quiet && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            var now = process.Output.Count;
            if (now != count)
            {
                count = now;
                quietSince = DateTime.UtcNow;
            }
        }
    }

    public sealed class SqlCapture(SubgraphProcess owner, int start)
    {
        /// <summary>The statements run since the capture began, read once the output has settled.</summary>
        public async Task<IReadOnlyList<string>> StatementsAsync()
        {
            await owner.WaitForQuietOutputAsync();
            return Statements;
        }

        /// <summary>The SQL text of each statement run since the capture began, in order.</summary>
        private IReadOnlyList<string> Statements
        {
            get
            {
                var lines = owner.process.Output;
                return lines.Skip(start)
                    .Select(line => line.Text)
                    .Where(text => text.Contains(SqlMarker, StringComparison.Ordinal))
                    .Select(text => text[(text.IndexOf("CommandTimeout=", StringComparison.Ordinal) is var i and >= 0 ? text.IndexOf(']', i) + 1 : 0)..].Trim())
                    .ToList();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await process.StopAsync(TimeSpan.FromSeconds(5));
        await process.DisposeAsync();
    }
}
