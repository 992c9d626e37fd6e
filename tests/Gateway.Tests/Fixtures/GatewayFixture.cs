using System.Text.Json.Nodes;
using Federation.Gateway.Tests.Fixtures.Subgraphs;

namespace Federation.Gateway.Tests.Fixtures;

/// <summary>The four in-process fixture subgraphs and a gateway on their committed supergraph.</summary>
public sealed class GatewayFixture : IDisposable
{
    public GatewayFixture()
    {
        Subgraphs = new Dictionary<string, ISubgraphFixture>(StringComparer.Ordinal)
        {
            ["accounts"] = new InProcessSubgraph<AccountsSchema>(),
            ["products"] = new InProcessSubgraph<ProductsSchema>(),
            ["inventory"] = new InProcessSubgraph<InventorySchema>(),
            ["reviews"] = new InProcessSubgraph<ReviewsSchema>(),
        };
        SupergraphSdl = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "supergraph.graphql"));
        Engine = CreateEngine(SupergraphSdl);
    }

    public IReadOnlyDictionary<string, ISubgraphFixture> Subgraphs { get; }

    public string SupergraphSdl { get; }

    public GatewayEngine Engine { get; }

    public GatewayOptions Options() => new() { HandlerFactory = name => new NonDisposingHandler((HttpMessageHandler)Subgraphs[name]) };

    public GatewayEngine CreateEngine(string supergraphSdl) => new(supergraphSdl, Options());

    public async Task<JsonObject> ExecuteAsync(string query, JsonObject? variables = null, bool includePlan = false)
    {
        var result = await Engine.ExecuteAsync(new GatewayRequest(query, null, variables, includePlan));
        return result.Body;
    }

    public void Dispose()
    {
        Engine.Dispose();
        foreach (var subgraph in Subgraphs.Values)
        {
            ((IDisposable)subgraph).Dispose();
        }
    }

    /// <summary>Each gateway's HttpClient disposes its handler; the subgraph outlives the gateways of one test class.</summary>
    private sealed class NonDisposingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override void Dispose(bool disposing) => base.Dispose(false);
    }
}
