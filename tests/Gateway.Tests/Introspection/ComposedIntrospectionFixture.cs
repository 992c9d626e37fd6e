using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Federation.Gateway.Tests.Introspection;

/// <summary>
/// Fixtures/Introspection's two subgraphs (deprecated arguments and input fields, <c>@oneOf</c>, <c>@specifiedBy</c>,
/// custom scalars) composed by the repository's composition, and our gateway on the result in front of a subgraph
/// that records what it is sent.
/// </summary>
public sealed class ComposedIntrospectionFixture : IAsyncLifetime, IDisposable
{
    public string SupergraphSdl { get; private set; } = null!;

    public string ApiSdl { get; private set; } = null!;

    public GatewayEngine Engine { get; private set; } = null!;

    /// <summary>Request bodies the subgraphs received, in order.</summary>
    public List<JsonObject> SubgraphRequests { get; } = [];

    public static string SubgraphFile(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Introspection", name + ".graphql");

    public async Task InitializeAsync()
    {
        var composed = await Fixtures.ClientTools.RunAsync(
            "compose.mjs",
            ["--subgraph", "shop=" + SubgraphFile("shop"), "--subgraph", "reviews=" + SubgraphFile("reviews")],
            TimeSpan.FromMinutes(1));
        Assert.True(composed["errors"] is null, composed.ToJsonString());
        SupergraphSdl = composed["supergraphSdl"]!.GetValue<string>();
        ApiSdl = composed["apiSdl"]!.GetValue<string>();
        Engine = new GatewayEngine(SupergraphSdl, new GatewayOptions { HandlerFactory = _ => new RecordingSubgraph(SubgraphRequests) });
    }

    public Task<GatewayResult> ExecuteAsync(string query, JsonObject? variables = null) => Engine.ExecuteAsync(new GatewayRequest(query, null, variables));

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => Engine?.Dispose();

    /// <summary>Answers the root fields the tests send (search, tagProduct) and keeps each request for the test to read.</summary>
    private sealed class RecordingSubgraph(List<JsonObject> requests) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = JsonNode.Parse(await request.Content!.ReadAsStringAsync(cancellationToken))!.AsObject();
            lock (requests)
            {
                requests.Add(body);
            }

            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent("""{"data":{"search":[],"tagProduct":null}}""", Encoding.UTF8, "application/json"),
            };
        }
    }
}
