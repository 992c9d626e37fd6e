using Federation.Testing.Servers;
using Federation.Testing.Subgraphs;

namespace Federation.Gateway.Tests.Fixtures;

/// <summary>
/// Our eight subgraphs as processes (seeded, one PostgreSQL, Redis and Kafka mock), started in parallel; they trust the
/// test run's gateway key. Used as a class fixture (requests straight at their ports) and by the corpus fixture.
/// </summary>
public sealed class LiveSubgraphs : IAsyncLifetime
{
    /// <summary>Subgraph name in the supergraph -> project under <c>subgraphs/</c>.</summary>
    private static readonly Dictionary<string, string> Projects = new(StringComparer.Ordinal)
    {
        ["accounts"] = "Accounts",
        ["catalog"] = "Catalog",
        ["inventory"] = "Inventory",
        ["orders"] = "Orders",
        ["payments"] = "Payments",
        ["reviews"] = "Reviews",
        ["notifications"] = "Notifications",
        ["alerting"] = "Alerting",
    };

    private readonly Dictionary<string, SubgraphProcess> _subgraphs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, string?>> _environments = new(StringComparer.Ordinal);
    private PostgresServer? _postgres;
    private RedisServer? _redis;
    private KafkaMockCluster? _kafka;

    /// <summary>
    /// More settings for accounts (a trusted proxy, throttle limits, <c>Accounts__DemoAccounts</c> for the demo shopper
    /// and admin as <c>./federation up</c> seeds them), over what it needs to start.
    /// </summary>
    public IReadOnlyDictionary<string, string?> AccountsSettings { get; init; } = new Dictionary<string, string?>();

    /// <summary>More settings for every subgraph, over what each needs to start.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>By subgraph name (<c>accounts</c>, ...).</summary>
    public IReadOnlyDictionary<string, SubgraphProcess> Subgraphs => _subgraphs;

    /// <summary>The Kafka mock cluster the subgraphs publish their domain events to.</summary>
    public string KafkaBootstrapServers => _kafka!.BootstrapServers;

    /// <summary>Each subgraph's <c>/graphql</c> URL by name.</summary>
    public IReadOnlyDictionary<string, string> Urls =>
        _subgraphs.ToDictionary(s => s.Key, s => new Uri(s.Value.BaseAddress, "graphql").ToString(), StringComparer.Ordinal);

    public async Task InitializeAsync()
    {
        var kafkaStart = KafkaMockCluster.StartAsync();
        var redisStart = RedisServer.StartAsync();
        _postgres = await PostgresServer.StartAsync();
        _kafka = await kafkaStart;
        _redis = await redisStart;
        var accounts = await Federation.Testing.Subgraphs.AccountsSettings.CreateAsync(_redis.ConnectionString);
        foreach (var (name, value) in AccountsSettings)
        {
            accounts[name] = value;
        }

        await Task.WhenAll(Projects.Select(async p =>
        {
            var connection = await _postgres.CreateDatabaseAsync(p.Key);
            var environment = new Dictionary<string, string?>(Settings);
            foreach (var (name, value) in p.Value == "Accounts" ? accounts : [])
            {
                environment[name] = value;
            }

            environment[$"ConnectionStrings__{p.Value}"] = connection;
            environment["Kafka__BootstrapServers"] = _kafka.BootstrapServers;
            var subgraph = await SubgraphProcess.StartAsync(p.Value, environment);
            lock (_subgraphs)
            {
                _subgraphs[p.Key] = subgraph;
                _environments[p.Key] = environment;
            }
        }));
    }

    /// <summary>
    /// Another process of subgraph <paramref name="name"/> on a port of its own, over the same database and Kafka cluster
    /// (its consumers join the same groups): a replica, which the caller disposes.
    /// </summary>
    public Task<SubgraphProcess> StartReplicaAsync(string name) => SubgraphProcess.StartAsync(Projects[name], _environments[name]);

    public async Task DisposeAsync()
    {
        await Task.WhenAll(_subgraphs.Values.Select(s => s.DisposeAsync().AsTask()));
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
