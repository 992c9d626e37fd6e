using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Federation.Testing.Servers;

namespace Federation.Gateway.Tests.Fixtures;

/// <summary>
/// Our seven subgraphs (<see cref="LiveSubgraphs"/>) and a token issuer, in front of which each entity cache test starts
/// the gateways it needs as processes, on a Redis of its own and the subgraphs' Kafka.
/// </summary>
public sealed class EntityCacheFixture : IAsyncLifetime
{
    public LiveSubgraphs Subgraphs { get; } = new();

    public TokenIssuer Tokens { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var issuer = TokenIssuer.StartAsync();
        await Subgraphs.InitializeAsync();
        Tokens = await issuer;
    }

    /// <summary>
    /// A gateway on <paramref name="redis"/> with the entity cache on or off (the shipped declarations, plus
    /// <paramref name="settings"/>); with the cache on, returns once its consumer reads every domain topic.
    /// </summary>
    public async Task<GatewayProcess> StartGatewayAsync(RedisServer redis, bool cache, params string[] settings)
    {
        var gateway = await GatewayProcess.StartAsync(
            Subgraphs.Urls,
            [
                "--Authentication:MetadataAddress", Tokens.MetadataAddress,
                "--Authentication:RequireHttpsMetadata", "false",
                "--DemandControl:MaxCost", "200000",
                "--ConnectionStrings:Redis", redis.ConnectionString,
                "--Kafka:BootstrapServers", Subgraphs.KafkaBootstrapServers,
                "--EntityCache:Enabled", cache ? "true" : "false",
                .. settings,
            ],
            new Dictionary<string, string?>
            {
                ["Logging__LogLevel__Default"] = "Warning",
                ["Logging__LogLevel__Federation.Gateway.Host.EntityCache"] = "Information",
            });
        if (cache)
        {
            try
            {
                await gateway.Process.WaitForLineAsync("Entity cache invalidation consumes every partition", TimeSpan.FromSeconds(60));
            }
            catch
            {
                await gateway.DisposeAsync();
                throw;
            }
        }

        return gateway;
    }

    public async Task DisposeAsync()
    {
        if (Tokens is not null)
        {
            await Tokens.DisposeAsync();
        }

        await Subgraphs.DisposeAsync();
    }
}

public static class GatewayProcessRequests
{
    /// <summary>Posts a GraphQL request with <paramref name="token"/> as bearer token (none: anonymous).</summary>
    public static async Task<(int Status, JsonObject Body)> PostAsync(this GatewayProcess gateway, string query, object? variables, string? token)
    {
        using var request = Create(string.Empty, query, variables, token);
        using var response = await gateway.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonNode.Parse(text) as JsonObject ?? throw new InvalidOperationException($"Not a JSON object ({(int)response.StatusCode}): {text}"));
    }

    /// <summary>A GraphQL POST to <paramref name="path"/>; <paramref name="variables"/> is serialized as JSON.</summary>
    public static HttpRequestMessage Create(string path, string query, object? variables, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(
                new JsonObject { ["query"] = query, ["variables"] = variables is null ? null : JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(variables)) }.ToJsonString(),
                Encoding.UTF8,
                "application/json"),
        };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }
}
