using System.Text.Json.Nodes;

namespace Federation.Gateway.Tests.Fixtures.Subscriptions;

/// <summary>
/// Our seven subgraphs on one Kafka (<see cref="LiveSubgraphs"/>), a token issuer and one gateway process reading the
/// committed supergraph's <c>@kafkaSubscribe</c> topics from that Kafka; started once the gateway reads them.
/// </summary>
public sealed class EventSubscriptionFixture : IAsyncLifetime
{
    public LiveSubgraphs Subgraphs { get; } = new();

    public TokenIssuer Tokens { get; private set; } = null!;

    public GatewayProcess Gateway { get; private set; } = null!;

    public Uri WebSocketUrl => new(Gateway.BaseAddress.ToString().Replace("http://", "ws://", StringComparison.Ordinal) + "graphql");

    public async Task InitializeAsync()
    {
        var issuer = TokenIssuer.StartAsync();
        await Subgraphs.InitializeAsync();
        Tokens = await issuer;
        Gateway = await GatewayProcess.StartAsync(
            Subgraphs.Urls,
            [
                "--Authentication:MetadataAddress", Tokens.MetadataAddress,
                "--Authentication:RequireHttpsMetadata", "false",
                "--Kafka:BootstrapServers", Subgraphs.KafkaBootstrapServers,
            ],
            new Dictionary<string, string?>
            {
                ["Logging__LogLevel__Default"] = "Warning",
                ["Logging__LogLevel__Federation.Gateway.Host.Events"] = "Information",
            });
        await Gateway.Process.WaitForLineAsync("Event-driven subscriptions are served from", TimeSpan.FromSeconds(90));
    }

    /// <summary>A graphql-transport-ws connection, acknowledged, as the caller of <paramref name="token"/> (none: anonymous).</summary>
    public async Task<GraphQLWsClient> ConnectAsync(string? token)
    {
        var client = await GraphQLWsClient.ConnectAsync(WebSocketUrl);
        await client.InitAsync(token is null ? null : new JsonObject { ["Authorization"] = "Bearer " + token });
        return client;
    }

    public async Task DisposeAsync()
    {
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }

        if (Tokens is not null)
        {
            await Tokens.DisposeAsync();
        }

        await Subgraphs.DisposeAsync();
    }
}
