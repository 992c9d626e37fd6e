using System.Globalization;
using Federation.Gateway.Tests.Fixtures;
using Federation.Testing;
using Federation.Testing.Processes;
using Federation.Testing.Security;
using Federation.Testing.Servers;
using Federation.Testing.Subgraphs;
using Npgsql;

namespace Federation.Gateway.Tests.Observability;

/// <summary>
/// The checkout's services as processes (orders, inventory, payments, notifications, the gateway), each exporting
/// traces and logs over OTLP/HTTP protobuf to one in-test <see cref="OtlpReceiver"/>, on their own PostgreSQL and
/// Kafka mock cluster (the services' topic names are fixed), with a token issuer so the gateway has a signed-in buyer
/// and a Redis for the gateway's persisted documents.
/// </summary>
public sealed class CheckoutStackFixture : IAsyncLifetime
{
    private static readonly string[] Services = ["Orders", "Inventory", "Payments", "Notifications"];
    private readonly Dictionary<string, SubgraphProcess> _subgraphs = [];
    private readonly Dictionary<string, string> _databases = [];
    private PostgresServer? _postgres;
    private KafkaMockCluster? _kafka;
    private RedisServer? _redis;

    public OtlpReceiver Receiver { get; private set; } = null!;

    public TokenIssuer Issuer { get; private set; } = null!;

    public GatewayProcess Gateway { get; private set; } = null!;

    public SubgraphProcess Subgraph(string project) => _subgraphs[project];

    public string Database(string project) => _databases[project];

    public async Task InitializeAsync()
    {
        var kafkaStart = KafkaMockCluster.StartAsync();
        var receiverStart = OtlpReceiver.StartAsync();
        var issuerStart = TokenIssuer.StartAsync();
        var redisStart = RedisServer.StartAsync();
        _postgres = await PostgresServer.StartAsync();
        _kafka = await kafkaStart;
        Receiver = await receiverStart;
        Issuer = await issuerStart;
        _redis = await redisStart;
        var group = Guid.NewGuid().ToString("N");
        foreach (var service in Services)
        {
            _databases[service] = await _postgres.CreateDatabaseAsync($"otel_{service.ToLowerInvariant()}");
        }

        var starts = Services.ToDictionary(service => service, service => SubgraphProcess.StartAsync(service, new Dictionary<string, string?>(Telemetry())
        {
            [$"ConnectionStrings__{service}"] = _databases[service],
            ["Kafka__BootstrapServers"] = _kafka.BootstrapServers,
            ["Messaging__GroupId"] = $"{service.ToLowerInvariant()}-{group}",
        }));
        foreach (var (service, start) in starts)
        {
            _subgraphs[service] = await start;
        }

        Gateway = await StartGatewayAsync();
    }

    /// <summary>OTLP/HTTP protobuf to the receiver, every span sampled, batches sent within 200 ms.</summary>
    private Dictionary<string, string?> Telemetry() => new()
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Receiver.Endpoint,
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        ["OTEL_BLRP_SCHEDULE_DELAY"] = "200",
        ["OTEL_TRACES_SAMPLER"] = "parentbased_always_on",
    };

    private Task<GatewayProcess> StartGatewayAsync()
    {
        var urls = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in new[] { "accounts", "catalog", "orders", "inventory", "payments", "reviews", "notifications", "alerting" })
        {
            urls[name] = _subgraphs.Values.FirstOrDefault(s => s.Name == name) is { } subgraph
                ? new Uri(subgraph.BaseAddress, "graphql").ToString()
                : $"http://127.0.0.1:{FreePort.Next().ToString(CultureInfo.InvariantCulture)}/graphql";
        }

        return GatewayProcess.StartAsync(
            urls,
            ["--Authentication:MetadataAddress", Issuer.MetadataAddress, "--Authentication:RequireHttpsMetadata", "false"],
            new Dictionary<string, string?>(Telemetry()) { ["Logging__LogLevel__Default"] = "Information", ["ConnectionStrings__Redis"] = _redis!.ConnectionString });
    }

    public async Task<long> ScalarAsync(string project, string sql)
    {
        await using var connection = new NpgsqlConnection(_databases[project]);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>Polls <paramref name="condition"/> for up to 60 s.</summary>
    public static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }

            await Task.Delay(200);
        }
    }

    public async Task DisposeAsync()
    {
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }

        foreach (var subgraph in _subgraphs.Values)
        {
            await subgraph.DisposeAsync();
        }

        if (Receiver is not null)
        {
            await Receiver.DisposeAsync();
        }

        if (Issuer is not null)
        {
            await Issuer.DisposeAsync();
        }

        if (_kafka is not null)
        {
            await _kafka.DisposeAsync();
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }
}
