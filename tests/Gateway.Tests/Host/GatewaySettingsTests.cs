using Federation.Gateway.Host;
using Federation.Gateway.Tests.Fixtures;
using Federation.GraphQLHttp;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Federation.Gateway.Tests.Host;

/// <summary>The documented configuration keys (gateway/README.md), bound with the options pattern and validated at start-up.</summary>
public sealed class GatewaySettingsTests : IDisposable
{
    private readonly GatewayFixture _fixture = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("gateway-tests-").FullName;

    public void Dispose()
    {
        _fixture.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Theory]
    [InlineData("Limits:MaxDepth", "-1", "Limits:MaxDepth must be 0 (off) or a positive number, not -1.")]
    [InlineData("Limits:MaxAliases", "-3", "Limits:MaxAliases must be 0 (off) or a positive number, not -3.")]
    [InlineData("CircuitBreaker:FailureThreshold", "-1", "CircuitBreaker:FailureThreshold must be 0 (off) or a positive number, not -1.")]
    [InlineData("CircuitBreaker:BreakDuration", "0", "CircuitBreaker:BreakDuration must be a positive duration (\"00:00:05\" or seconds), not \"0\".")]
    [InlineData("Subgraphs:inventory:Timeout", "soon", "Subgraphs:inventory:Timeout must be a positive duration (\"00:00:05\" or seconds), not \"soon\".")]
    [InlineData("Subgraphs:inventory:Url", "inventory:4001", "Subgraphs:inventory:Url must be an absolute http or https URL, not \"inventory:4001\".")]
    [InlineData("Subgraphs:inventory:Urls:0", "inventory-2:4001", "Subgraphs:inventory:Urls:0 must be an absolute http or https URL, not \"inventory-2:4001\".")]
    [InlineData("Traffic:DeduplicateRequests", "yes", "Traffic:DeduplicateRequests must be true or false, not \"yes\".")]
    [InlineData("Traffic:RequestTimeout", "-5", "Traffic:RequestTimeout must be a positive duration (\"00:00:05\" or seconds), not \"-5\".")]
    [InlineData("Traffic:SubgraphTimeout", "later", "Traffic:SubgraphTimeout must be a positive duration (\"00:00:05\" or seconds), not \"later\".")]
    [InlineData("Traffic:Http2", "h2c", "Traffic:Http2 must be Enable, Disable or Http2Only, not \"h2c\".")]
    [InlineData("Traffic:Http2", "1", "Traffic:Http2 must be Enable, Disable or Http2Only, not \"1\".")]
    [InlineData("Subgraphs:inventory:Http2", "on", "Subgraphs:inventory:Http2 must be Enable, Disable or Http2Only, not \"on\".")]
    [InlineData("Traffic:MaxConnectionsPerSubgraph", "0", "Traffic:MaxConnectionsPerSubgraph must be a positive number, not 0.")]
    [InlineData("GraphQL:Http:MaxRequestBytes", "0", "GraphQL:Http:MaxRequestBytes must be a positive number of bytes.")]
    [InlineData("PersistedDocuments:Mode", "strict", "PersistedDocuments:Mode must be open or allow-list, not \"strict\".")]
    [InlineData("PersistedDocuments:Mode", "allow-list", "PersistedDocuments:Mode allow-list needs at least one file in PersistedDocuments:Manifests.")]
    [InlineData("PersistedDocuments:Manifests:0", "/nonexistent/web.json", "PersistedDocuments:Manifests names /nonexistent/web.json, which does not exist.")]
    [InlineData("PersistedDocuments:ArbitraryDocumentsKey", "short", "PersistedDocuments:ArbitraryDocumentsKey must be at least 32 characters long.")]
    [InlineData("PersistedDocuments:Ttl", "forever", "PersistedDocuments:Ttl must be a positive duration (\"00:00:05\" or seconds), not \"forever\".")]
    [InlineData("DemandControl:Mode", "fast", "DemandControl:Mode must be enforce or measure, not \"fast\".")]
    [InlineData("DemandControl:Enabled", "yes", "DemandControl:Enabled must be true or false, not \"yes\".")]
    [InlineData("DemandControl:MaxCost", "-1", "DemandControl:MaxCost must be 0 or a positive number, not -1.")]
    [InlineData("EntityCache:Enabled", "yes", "EntityCache:Enabled must be true or false, not \"yes\".")]
    [InlineData("EntityCache:Enabled", "true", "EntityCache:Enabled needs ConnectionStrings:Redis: the entity cache lives in Redis.")]
    [InlineData("EntityCache:Subgraphs:inventory:Types:Product:MaxAge", "2.00:00:00", "EntityCache:Subgraphs:inventory:Types:Product:MaxAge must be a positive duration of at most 24 hours, not \"2.00:00:00\".")]
    [InlineData("Kafka:FetchWaitMaxMs", "0", "Kafka:FetchWaitMaxMs must be a whole number of milliseconds from 1 to 60000, not \"0\".")]
    [InlineData("Kafka:FetchWaitMaxMs", "0.5", "Kafka:FetchWaitMaxMs must be a whole number of milliseconds from 1 to 60000, not \"0.5\".")]
    [InlineData("EntityCache:Subgraphs:inventory:Types:Product:Scope", "shared", "EntityCache:Subgraphs:inventory:Types:Product:Scope must be public or private, not \"shared\".")]
    public void Create_Should_FailNamingTheKey_When_ValueIsInvalid(string key, string value, string message)
    {
        // act
        var error = Assert.Throws<InvalidOperationException>(() => Create("--" + key, value));

        // assert
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Create_Should_RefuseTheEntityCache_When_NoKafkaWouldInvalidateIt()
    {
        // act
        var error = Assert.Throws<InvalidOperationException>(() => Create("--EntityCache:Enabled", "true", "--ConnectionStrings:Redis", "127.0.0.1:1"));

        // assert
        Assert.Equal("EntityCache:Enabled needs Kafka:BootstrapServers: without the domain events nothing would invalidate the cache.", error.Message);
    }

    [Fact]
    public void Create_Should_RefuseOneUrlBesideReplicas_When_BothAreSet()
    {
        // act
        var error = Assert.Throws<InvalidOperationException>(() => Create(
            "--Subgraphs:catalog:Url", "http://catalog.test/graphql", "--Subgraphs:catalog:Urls:0", "http://catalog-1.test/graphql"));

        // assert
        Assert.Equal("Subgraphs:catalog: set Url (one instance) or Urls (replicas), not both.", error.Message);
    }

    [Fact]
    public void Create_Should_FailNamingTheKey_When_NumberDoesNotParse()
    {
        // act
        var error = Assert.Throws<InvalidOperationException>(() => Create("--Limits:MaxAliases", "many"));

        // assert
        Assert.Contains("'Limits:MaxAliases'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_Should_ReportEveryBadKey_When_SeveralAreInvalid()
    {
        // act
        var error = Assert.Throws<InvalidOperationException>(() => Create("--Limits:MaxDepth", "-1", "--Subgraphs:reviews:Timeout", "-2"));

        // assert
        Assert.Contains("Limits:MaxDepth", error.Message, StringComparison.Ordinal);
        Assert.Contains("Subgraphs:reviews:Timeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_Should_ApplyEveryDocumentedKey_When_ValuesAreValid()
    {
        // arrange
        await using var app = Create(
            "--Subgraphs:inventory:Url", "http://inventory.test/graphql",
            "--Subgraphs:inventory:Timeout", "2.5",
            "--Subgraphs:reviews:Timeout", "00:00:05",
            "--Subgraphs:catalog:Urls:0", "http://catalog-1.test/graphql",
            "--Subgraphs:catalog:Urls:1", "http://catalog-2.test/graphql",
            "--Subgraphs:orders:Urls:0", "http://orders-1.test/graphql",
            "--Subgraphs:orders:Http2", "disable",
            "--CircuitBreaker:FailureThreshold", "0",
            "--CircuitBreaker:BreakDuration", "0.5",
            "--ForwardHeaders:0", "X-Tenant",
            "--Limits:MaxDepth", "7",
            "--Limits:MaxAliases", "0",
            "--Traffic:DeduplicateRequests", "true",
            "--Traffic:DeduplicateClientRequests", "false",
            "--Traffic:BatchEntityFetches", "False",
            "--Traffic:MaxConnectionsPerSubgraph", "8",
            "--Traffic:Http2", "Http2Only",
            "--Traffic:SubgraphTimeout", "10",
            "--Traffic:RequestTimeout", "00:00:20",
            "--GraphQL:Http:MaxRequestBytes", "2048",
            "--DemandControl:Enabled", "false",
            "--DemandControl:Mode", "Measure",
            "--DemandControl:MaxCost", "250.5",
            "--DemandControl:ListSize", "3");

        // act
        var options = app.Services.GetRequiredService<GatewayEngine>().Options;
        var http = app.Services.GetRequiredService<IOptions<GraphQLHttpOptions>>().Value;

        // assert
        Assert.Equal("http://inventory.test/graphql", options.SubgraphUrls["inventory"]);
        Assert.Equal(TimeSpan.FromSeconds(2.5), options.SubgraphTimeouts["inventory"]);
        Assert.Equal("http://catalog-1.test/graphql", options.SubgraphUrls["catalog"]);
        Assert.Equal(["http://catalog-1.test/graphql", "http://catalog-2.test/graphql"], options.SubgraphReplicas["catalog"].Select(u => u.ToString()));
        Assert.Equal("http://orders-1.test/graphql", options.SubgraphUrls["orders"]);
        Assert.False(options.SubgraphReplicas.ContainsKey("orders"));
        Assert.Equal(TimeSpan.FromSeconds(5), options.SubgraphTimeouts["reviews"]);
        Assert.Equal(0, options.CircuitBreaker.FailureThreshold);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.CircuitBreaker.BreakDuration);
        Assert.Equal(["X-Tenant"], options.ForwardHeaders);
        Assert.Equal(7, options.MaxDepth);
        Assert.Equal(0, options.MaxAliases);
        Assert.True(options.DeduplicateSubgraphRequests);
        Assert.False(options.DeduplicateClientRequests);
        Assert.False(options.BatchEntityFetches);
        Assert.Equal(8, options.MaxConnectionsPerSubgraph);
        Assert.Equal(Federation.Gateway.Transport.SubgraphHttp2.Http2Only, options.Http2);
        Assert.Equal(Federation.Gateway.Transport.SubgraphHttp2.Disable, Assert.Single(options.SubgraphHttp2, h => h.Key == "orders").Value);
        Assert.Single(options.SubgraphHttp2);
        Assert.Equal(TimeSpan.FromSeconds(10), options.SubgraphTimeout);
        Assert.Equal(TimeSpan.FromSeconds(20), options.RequestTimeout);
        Assert.Equal(2048, http.MaxRequestBytes);
        Assert.False(options.DemandControl.Enabled);
        Assert.Equal(Federation.Gateway.DemandControl.DemandControlMode.Measure, options.DemandControl.Mode);
        Assert.Equal(250.5, options.DemandControl.MaxCost);
        Assert.Equal(3, options.DemandControl.ListSize);
    }

    [Fact]
    public async Task Create_Should_KeepEngineDefaults_When_NothingIsConfigured()
    {
        // arrange
        await using var app = Create();
        var defaults = new GatewayOptions();

        // act
        var options = app.Services.GetRequiredService<GatewayEngine>().Options;

        // assert
        Assert.Empty(options.SubgraphUrls);
        Assert.Empty(options.SubgraphTimeouts);
        Assert.Equal(defaults.MaxDepth, options.MaxDepth);
        Assert.Equal(defaults.MaxAliases, options.MaxAliases);
        Assert.Equal(defaults.BatchEntityFetches, options.BatchEntityFetches);
        Assert.Equal(defaults.DeduplicateClientRequests, options.DeduplicateClientRequests);
        Assert.Equal(defaults.CircuitBreaker.FailureThreshold, options.CircuitBreaker.FailureThreshold);
        Assert.Equal(defaults.MaxConnectionsPerSubgraph, options.MaxConnectionsPerSubgraph);
        Assert.Equal(Federation.Gateway.Transport.SubgraphHttp2.Enable, options.Http2);
        Assert.Empty(options.SubgraphHttp2);
        Assert.Equal(TimeSpan.FromSeconds(30), options.SubgraphTimeout);
        Assert.Equal(TimeSpan.FromSeconds(60), options.RequestTimeout);
    }

    private WebApplication Create(params string[] settings)
    {
        var supergraph = Path.Combine(_directory, "supergraph.graphql");
        File.WriteAllText(supergraph, _fixture.SupergraphSdl);
        return GatewayHost.Create(["--supergraph", supergraph, "--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default", "Warning", .. settings]);
    }
}
