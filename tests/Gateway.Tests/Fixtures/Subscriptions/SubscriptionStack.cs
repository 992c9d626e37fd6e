using System.Net.Http.Headers;

namespace Federation.Gateway.Tests.Fixtures.Subscriptions;

/// <summary>
/// The real gateway host over the fixture subgraphs plus <see cref="LiveSubgraph"/> (Fixtures/Subscriptions/supergraph.graphql),
/// with a token issuer, so a subscription's events need entity fetches to products and inventory.
/// </summary>
public sealed class SubscriptionStack : IAsyncDisposable
{
    private SubscriptionStack(GatewayFixture fixture, LiveSubgraph live, TokenIssuer issuer, HostedGateway gateway)
    {
        Fixture = fixture;
        Live = live;
        Issuer = issuer;
        Gateway = gateway;
    }

    public static string SupergraphSdl { get; } =
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Subscriptions", "supergraph.graphql"));

    public GatewayFixture Fixture { get; }

    public LiveSubgraph Live { get; }

    public TokenIssuer Issuer { get; }

    public HostedGateway Gateway { get; }

    public Uri WebSocketUrl => new(Gateway.Client.BaseAddress!.ToString().Replace("http://", "ws://", StringComparison.Ordinal) + "graphql");

    /// <param name="settings">More command-line keys for the gateway (subscription limits).</param>
    public static async Task<SubscriptionStack> StartAsync(params string[] settings)
    {
        var fixture = new GatewayFixture();
        var live = await LiveSubgraph.StartAsync();
        var issuer = await TokenIssuer.StartAsync();
        var handlers = fixture.Options().HandlerFactory!;
        var gateway = await HostedGateway.StartAsync(
            fixture,
            [
                "--Subgraphs:live:Url", live.Url,
                "--Authentication:MetadataAddress", issuer.MetadataAddress, "--Authentication:RequireHttpsMetadata", "false",
                "--ForwardHeaders:0", "X-Tenant",
                .. settings,
            ],
            name => name == "live" ? new SocketsHttpHandler() : handlers(name),
            SupergraphSdl);
        return new SubscriptionStack(fixture, live, issuer, gateway);
    }

    /// <summary>A GraphQL-over-SSE request: POST with <c>Accept: text/event-stream</c>.</summary>
    public HttpRequestMessage EventStreamRequest(string body, string? token = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Live.DisposeAsync();
        await Issuer.DisposeAsync();
        Fixture.Dispose();
    }
}
