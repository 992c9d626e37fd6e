using System.Text.Json;
using System.Text.Json.Nodes;
using BenchSubgraphs;
using Federation.Gateway;
using Federation.Gateway.Execution;
using Federation.Gateway.Transport;
using Federation.Security;
using Federation.Subgraph.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Benchmarks;

/// <summary>
/// Answers each subgraph request with the bytes the real subgraph gave for it. Like <see cref="HttpSubgraphClient"/> it
/// serializes the request to UTF-8 and parses the answer anew per call, so only network and subgraph time are missing.
/// </summary>
public sealed class ReplaySubgraphClient(IReadOnlyDictionary<string, List<(byte[] Request, byte[] Response)>> responses) : ISubgraphClient
{
    public Task<JsonObject> ExecuteAsync(string subgraph, Uri url, JsonObject request, CancellationToken cancellationToken)
    {
        var parsed = JsonNode.Parse(Find(subgraph, request), ResultState.NodeOptions)!.AsObject();
        if (Materialize)
            Touch(parsed);
        return Task.FromResult(parsed);
    }

    /// <summary>The engine's path: the answer's bytes read as <see cref="HttpSubgraphClient"/> reads them.</summary>
    public Task<SubgraphAnswer> ExecuteCacheableReadAsync(string subgraph, Uri url, JsonObject request, IReadOnlyDictionary<string, string>? headers, CancellationToken cancellationToken)
    {
        // A copy per call, as the HTTP client reads a new body per call.
        var answer = (byte[])Find(subgraph, request).Clone();
        return Task.FromResult(new SubgraphAnswer(SubgraphResponse.Parse(answer, answer.Length)!, null));
    }

    private byte[] Find(string subgraph, JsonObject request)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(request);
        if (responses.TryGetValue(subgraph, out var recorded))
        {
            foreach (var (sent, answer) in recorded)
            {
                if (sent.AsSpan().SequenceEqual(bytes))
                    return answer;
            }
        }

        throw new InvalidOperationException($"No recorded answer from {subgraph} for {request.ToJsonString()}");
    }

    /// <summary>
    /// Reads every property of a parsed answer before handing it over (<c>PROFILE_MATERIALIZE=1</c>): a parsed
    /// <see cref="JsonObject"/> builds its properties on first access, so without this the cost of materializing the
    /// answer lands on whichever engine step touches it first. For attributing costs only; the engine never does this.
    /// </summary>
    public static bool Materialize { get; set; } = Environment.GetEnvironmentVariable("PROFILE_MATERIALIZE") == "1";

    private static void Touch(JsonNode? node)
    {
        if (node is JsonObject obj)
        {
            foreach (var (_, value) in obj)
                Touch(value);
        }
        else if (node is JsonArray list)
        {
            foreach (var item in list)
                Touch(item);
        }
    }

    /// <summary>
    /// Engine options for recording and replaying alike. Entity-fetch batching is off: which fetches share a request
    /// depends on when answers arrive, and replayed answers arrive at other moments than recorded ones, so a batched
    /// recording would not match the requests of the replay. Merging and shaping are the same either way.
    /// </summary>
    /// <remarks>
    /// Demand control measures without refusing, as bench/run.mjs runs the gateway: the benchmark's supergraph has no
    /// cost directives, so the deep query's estimate (24,420) is above the default limit.
    /// </remarks>
    public static GatewayOptions Options() => new()
    {
        BatchEntityFetches = false,
        DemandControl = { Mode = Federation.Gateway.DemandControl.DemandControlMode.Measure },
    };

    /// <summary>A client answering every request to <paramref name="subgraph"/> with <paramref name="answer"/> (a one-fetch plan).</summary>
    public static ReplaySubgraphClient Fixed(string subgraph, byte[] request, byte[] answer) =>
        new(new Dictionary<string, List<(byte[], byte[])>> { [subgraph] = [(request, answer)] });

    /// <summary>Runs the request once against the four subgraphs hosted in this process (free loopback ports) and keeps every answer.</summary>
    public static async Task<ReplaySubgraphClient> RecordAsync(string supergraph, GatewayRequest request)
    {
        var apps = new List<WebApplication>();
        // The subgraphs answer only requests carrying an internal token the gateway signed (a key pair for this recording), and
        // run without the kit's complexity limit as bench/run.mjs runs them (it refuses the deep query's reviews fetch).
        var keys = Directory.CreateTempSubdirectory("gateway-benchmarks-keys");
        try
        {
            var publicKeys = Path.Combine(keys.FullName, "public");
            var ring = new KeyRing([SigningKeyFiles.Read(SigningKeyFiles.Generate(Path.Combine(keys.FullName, "private"), TimeProvider.System, publicKeys))]);
            var options = Options();
            options.InternalTokens = new InternalTokenIssuer(() => ring);
                        foreach (var subgraph in BenchSubgraph.All)
            {
                var builder = subgraph.CreateBuilder([$"--InternalTokens:PublicKeysPath={publicKeys}", "--GraphQL:Limits:MaxComplexity=0"]);
                builder.WebHost.UseUrls("http://127.0.0.1:0");
                var app = builder.Build();
                app.MapSubgraph();
                await app.StartAsync();
                apps.Add(app);
                var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
                options.SubgraphUrls[subgraph.Name] = address + "/graphql";
            }

            using var http = new HttpSubgraphClient(timeout: options.SubgraphTimeout);
            var recorder = new Recorder(http);
            using var engine = new GatewayEngine(supergraph, options, recorder);
            var result = await engine.ExecuteAsync(request);
            if (result.StatusCode != 200 || result.Body.ContainsKey("errors"))
                throw new InvalidOperationException("Recording failed: " + result.Body.ToJsonString());
            return new ReplaySubgraphClient(recorder.Responses);
        }
        finally
        {
            foreach (var app in apps)
                await app.DisposeAsync();
            keys.Delete(recursive: true);
        }
    }

    private sealed class Recorder(ISubgraphClient inner) : ISubgraphClient
    {
        public Dictionary<string, List<(byte[] Request, byte[] Response)>> Responses { get; } = [];

        public Task<JsonObject> ExecuteAsync(string subgraph, Uri url, JsonObject request, CancellationToken cancellationToken) =>
            ExecuteAsync(subgraph, url, request, null, cancellationToken);

        /// <summary>With the headers: they carry the internal token the subgraphs require.</summary>
        public async Task<JsonObject> ExecuteAsync(string subgraph, Uri url, JsonObject request, IReadOnlyDictionary<string, string>? headers, CancellationToken cancellationToken)
        {
            var sent = JsonSerializer.SerializeToUtf8Bytes(request);
            var response = await inner.ExecuteAsync(subgraph, url, request, headers, cancellationToken);
            lock (Responses)
            {
                if (!Responses.TryGetValue(subgraph, out var list))
                    Responses[subgraph] = list = [];
                list.Add((sent, JsonSerializer.SerializeToUtf8Bytes(response)));
            }

            return response;
        }
    }
}
