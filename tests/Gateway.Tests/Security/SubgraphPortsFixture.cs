using Federation.Testing.Servers;
using Federation.Testing.Subgraphs;

namespace Federation.Gateway.Tests.Security;

/// <summary>The seven subgraphs as processes (one PostgreSQL, Redis and Kafka mock), for requests straight at their ports.</summary>
public sealed class SubgraphPortsFixture : IAsyncLifetime
{
    public static readonly string[] Projects = ["Accounts", "Catalog", "Inventory", "Orders", "Payments", "Reviews", "Notifications"];

    private readonly Dictionary<string, SubgraphProcess> _subgraphs = new(StringComparer.Ordinal);
    private PostgresServer? _postgres;
    private RedisServer? _redis;
    private KafkaMockCluster? _kafka;

    /// <summary>By subgraph name (<c>accounts</c>, ...).</summary>
    public IReadOnlyDictionary<string, SubgraphProcess> Subgraphs => _subgraphs;

    public async Task InitializeAsync()
    {
        var kafkaStart = KafkaMockCluster.StartAsync();
        var redisStart = RedisServer.StartAsync();
        _postgres = await PostgresServer.StartAsync();
        _kafka = await kafkaStart;
        _redis = await redisStart;
        var accounts = await AccountsSettings.CreateAsync(_redis.ConnectionString);
        await Task.WhenAll(Projects.Select(async project =>
        {
            var subgraph = await SubgraphProcess.StartAsync(project, new Dictionary<string, string?>(project == "Accounts" ? accounts : [])
            {
                [$"ConnectionStrings__{project}"] = await _postgres.CreateDatabaseAsync(project.ToLowerInvariant()),
                ["Kafka__BootstrapServers"] = _kafka.BootstrapServers,
            });
            lock (_subgraphs)
            {
                _subgraphs[subgraph.Name] = subgraph;
            }
        }));
    }

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
