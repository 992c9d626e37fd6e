using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Federation.Testing;
using Federation.Testing.Processes;
using Federation.Testing.Security;
using Federation.Testing.Servers;

namespace Federation.Gateway.Tests.Fixtures;

/// <summary>
/// The stack <see cref="Security.LiveGatewaySecurityTests"/> and <see cref="Caching.EntityCacheLiveTests"/> share, one
/// class after the other, so the suite starts one such stack instead of two (each is eight subgraph processes with their
/// PostgreSQL, Redis and Kafka mock, seeded, and ~30% of a core while idle). Neither class needs the other's absence:
/// the security tests register their own users and find owners by query, and the entity cache tests start their own
/// gateways on a Redis of their own and compare answers with and without the cache on whatever the subgraphs hold.
/// </summary>
[CollectionDefinition(Name)]
public sealed class LiveGatewayCollection : ICollectionFixture<LiveGatewayFixture>
{
    public const string Name = "live gateway stack";
}

/// <summary>
/// The gateway host as its own process in front of our seven subgraphs (<see cref="LiveSubgraphs"/>), verifying client
/// tokens against <see cref="Tokens"/>' JWKS and signing internal tokens with the run's test key, as
/// <c>./federation up</c> runs it: accounts trusts 127.0.0.1, the gateway's address, as the proxy that appends the
/// client's address to X-Forwarded-For. Tests that need gateways of their own start them on the same subgraphs
/// (<see cref="StartGatewayAsync"/>).
/// </summary>
public sealed class LiveGatewayFixture : IAsyncLifetime
{
    /// <summary>Failed logins one client address may make per window before it is refused.</summary>
    public const int PerAddressLimit = 5;

    private readonly LiveSubgraphs _live = new()
    {
        AccountsSettings = new Dictionary<string, string?>
        {
            ["ForwardedHeaders__TrustedProxies__0"] = "127.0.0.1",
            ["LoginThrottle__PerAddress"] = PerAddressLimit.ToString(CultureInfo.InvariantCulture),
            ["LoginThrottle__PerAccount"] = "100",
        },
    };

    private readonly Dictionary<string, HttpClient> _clients = new(StringComparer.Ordinal);

    private GatewayProcess? _gateway;

    public TokenIssuer Tokens { get; private set; } = null!;

    public LiveSubgraphs Subgraphs => _live;

    public async Task InitializeAsync()
    {
        var issuer = TokenIssuer.StartAsync();
        await _live.InitializeAsync();
        Tokens = await issuer;
        _gateway = await GatewayProcess.StartAsync(
            _live.Urls,
            [
                "--Authentication:MetadataAddress", Tokens.MetadataAddress,
                "--Authentication:RequireHttpsMetadata", "false",
                // The tests find their users with one admin query over 100 users and their orders, estimated at ~105,000.
                "--DemandControl:MaxCost", "200000",
            ]);
    }

    /// <summary>
    /// A gateway on <paramref name="redis"/> with the entity cache on or off (the shipped declarations, plus
    /// <paramref name="settings"/>); with the cache on, returns once its consumer reads every domain topic.
    /// </summary>
    public async Task<GatewayProcess> StartGatewayAsync(RedisServer redis, bool cache, params string[] settings)
    {
        var gateway = await GatewayProcess.StartAsync(
            _live.Urls,
            [
                "--Authentication:MetadataAddress", Tokens.MetadataAddress,
                "--Authentication:RequireHttpsMetadata", "false",
                "--DemandControl:MaxCost", "200000",
                "--ConnectionStrings:Redis", redis.ConnectionString,
                "--Kafka:BootstrapServers", _live.KafkaBootstrapServers,
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

    /// <summary>
    /// Posts to the gateway over a connection from <paramref name="sourceAddress"/> (any of 127.0.0.0/8 on Linux), as a
    /// client on that address would; <paramref name="token"/> goes as a bearer token.
    /// </summary>
    public async Task<JsonObject> PostAsync(string query, object? variables = null, string? token = null, string sourceAddress = "127.0.0.1")
    {
        using var request = GatewayProcessRequests.Create("graphql", query, variables, token);
        using var response = await Client(sourceAddress).SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text) as JsonObject ?? throw new InvalidOperationException($"Not a JSON object ({(int)response.StatusCode}): {text}");
    }

    private HttpClient Client(string sourceAddress)
    {
        lock (_clients)
        {
            if (!_clients.TryGetValue(sourceAddress, out var client))
            {
                var local = new IPEndPoint(IPAddress.Parse(sourceAddress), 0);
                var handler = new SocketsHttpHandler
                {
                    ConnectCallback = async (context, cancellationToken) =>
                    {
                        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                        try
                        {
                            socket.Bind(local);
                            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                            return new NetworkStream(socket, ownsSocket: true);
                        }
                        catch
                        {
                            socket.Dispose();
                            throw;
                        }
                    },
                };
                client = _clients[sourceAddress] = new HttpClient(handler) { BaseAddress = _gateway!.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
            }

            return client;
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }

        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        if (Tokens is not null)
        {
            await Tokens.DisposeAsync();
        }

        await _live.DisposeAsync();
    }
}
