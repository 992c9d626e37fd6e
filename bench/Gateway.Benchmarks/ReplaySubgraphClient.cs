using System.Text.Json.Nodes;
using BenchSubgraphs;
using Federation.Gateway;
using Federation.Gateway.Transport;
using Federation.Subgraph.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Benchmarks;

/// <summary>
/// Answers each subgraph request with the bytes the real benchmark subgraph gave for it, parsed anew
/// per call as the HTTP client would, so no network or subgraph time is in the measurement.
/// </summary>
public sealed class ReplaySubgraphClient(IReadOnlyDictionary<string, byte[]> responses) : ISubgraphClient
{
    public Task<JsonObject> ExecuteAsync(string subgraph, Uri url, JsonObject request, CancellationToken cancellationToken)
    {
        if (!responses.TryGetValue(Key(subgraph, request), out var body))
            throw new InvalidOperationException($"No recorded answer from {subgraph} for {request.ToJsonString()}");
        return Task.FromResult(JsonNode.Parse(body)!.AsObject());
    }

    /// <summary>
    /// Engine options for recording and replaying alike. Entity-fetch batching is off: which fetches share a request
    /// depends on when answers arrive, and replayed answers arrive at other moments than recorded ones, so a batched
    /// recording would not match the requests of the replay. Merging and shaping are the same either way.
    /// </summary>
    public static GatewayOptions Options() => new() { BatchEntityFetches = false };

    private static string Key(string subgraph, JsonObject request) => subgraph + "\n" + request.ToJsonString();

    /// <summary>Runs the request once against the four subgraphs hosted in this process (free loopback ports) and keeps every answer.</summary>
    public static async Task<ReplaySubgraphClient> RecordAsync(string supergraph, GatewayRequest request)
    {
        var apps = new List<WebApplication>();
        try
        {
            var options = Options();
            foreach (var subgraph in BenchSubgraph.All)
            {
                var builder = subgraph.CreateBuilder([]);
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
        }
    }

    private sealed class Recorder(ISubgraphClient inner) : ISubgraphClient
    {
        public Dictionary<string, byte[]> Responses { get; } = [];

        public async Task<JsonObject> ExecuteAsync(string subgraph, Uri url, JsonObject request, CancellationToken cancellationToken)
        {
            var response = await inner.ExecuteAsync(subgraph, url, request, cancellationToken);
            lock (Responses)
                Responses[Key(subgraph, request)] = System.Text.Encoding.UTF8.GetBytes(response.ToJsonString());
            return response;
        }
    }
}
