using System.Text.Json.Nodes;
using Federation.Gateway.Tests.Fixtures;
using Federation.Testing.Servers;
using Federation.Testing.Subgraphs;

namespace Federation.Gateway.Tests.Corpus;

/// <summary>
/// Our seven subgraphs as processes (seeded, one PostgreSQL and one Kafka mock), started once and in parallel, with
/// two gateways on the committed <c>schema/supergraph.graphql</c>: ours in process and Apollo Gateway.
/// </summary>
public sealed class CorpusFixture : IAsyncLifetime
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
    };

    private readonly List<SubgraphProcess> _subgraphs = [];
    private PostgresServer? _postgres;
    private KafkaMockCluster? _kafka;
    private RedisServer? _redis;

    public GatewayEngine Engine { get; private set; } = null!;

    public ApolloGatewayProcess Apollo { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var kafkaStart = KafkaMockCluster.StartAsync();
        var redisStart = RedisServer.StartAsync();
        _postgres = await PostgresServer.StartAsync();
        _kafka = await kafkaStart;
        _redis = await redisStart;
        var accounts = await AccountsSettings.CreateAsync(_redis.ConnectionString);
        var starts = Projects.Select(async p =>
        {
            var connection = await _postgres.CreateDatabaseAsync(p.Key);
            var subgraph = await SubgraphProcess.StartAsync(p.Value, new Dictionary<string, string?>(p.Value == "Accounts" ? accounts : [])
            {
                [$"ConnectionStrings__{p.Value}"] = connection,
                ["Kafka__BootstrapServers"] = _kafka.BootstrapServers,
            });
            lock (_subgraphs)
            {
                _subgraphs.Add(subgraph);
            }

            return (p.Key, Url: new Uri(subgraph.BaseAddress, "graphql").ToString());
        }).ToList();
        var urls = (await Task.WhenAll(starts)).ToDictionary(s => s.Key, s => s.Url, StringComparer.Ordinal);

        var supergraph = RepositorySupergraph();
        var options = new GatewayOptions();
        foreach (var (name, url) in urls)
        {
            options.SubgraphUrls[name] = url;
        }

        Engine = new GatewayEngine(await File.ReadAllTextAsync(supergraph), options);
        Apollo = await ApolloGatewayProcess.StartAsync(supergraph, urls);
    }

    public async Task<JsonObject> OursAsync(string query, JsonObject? variables) =>
        (await Engine.ExecuteAsync(new GatewayRequest(query, null, variables))).Body;

    public Task<JsonObject> ApolloAsync(string query, JsonObject? variables) => Apollo.Http.PostGraphQLAsync(query, variables);

    public async Task DisposeAsync()
    {
        if (Apollo is not null)
        {
            await Apollo.DisposeAsync();
        }

        Engine?.Dispose();
        await Task.WhenAll(_subgraphs.Select(s => s.DisposeAsync().AsTask()));
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

    private static string RepositorySupergraph()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var file = Path.Combine(dir.FullName, "schema", "supergraph.graphql");
            if (File.Exists(file))
            {
                return file;
            }
        }

        throw new InvalidOperationException("schema/supergraph.graphql not found above the test output directory.");
    }
}
