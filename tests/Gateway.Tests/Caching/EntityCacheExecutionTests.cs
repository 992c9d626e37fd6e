using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Federation.Gateway.Caching.Entities;
using Federation.Gateway.Tests.Fixtures;

namespace Federation.Gateway.Tests.Caching;

/// <summary>
/// The executor's entity cache seam on the in-process fixture subgraphs, over an in-memory store that keeps what it is
/// given (the Redis store is tested against a real Redis in RedisEntityCacheTests and EntityCacheLiveTests).
/// </summary>
public sealed class EntityCacheExecutionTests : IDisposable
{
    private const string Products = """
        { topProducts(first: 3) { upc name inStock shippingEstimate reviews { body author { name email } } } }
        """;

    private readonly GatewayFixture _fixture = new();
    private readonly MemoryEntityCache _store = new();
    private readonly ConcurrentBag<(string Subgraph, HttpRequestHeaders Headers)> _requests = [];

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task Query_Should_AnswerEntityFetchesFromTheStore_When_AskedAgain()
    {
        // arrange
        using var plain = _fixture.CreateEngine(_fixture.SupergraphSdl);
        using var cached = CachedEngine();
        var expected = (await plain.ExecuteAsync(new GatewayRequest(Products, null, null))).Body.ToJsonString();
        var miss = (await cached.ExecuteAsync(new GatewayRequest(Products, null, null))).Body.ToJsonString();
        var afterMiss = _requests.Select(r => r.Subgraph).Order(StringComparer.Ordinal).ToList();
        _requests.Clear();

        // act
        var hit = (await cached.ExecuteAsync(new GatewayRequest(Products, null, null))).Body.ToJsonString();

        // assert
        Assert.Equal(expected, miss);
        Assert.Equal(expected, hit);
        Assert.Contains("inventory", afterMiss);
        Assert.Contains("reviews", afterMiss);
        Assert.Equal(["products"], _requests.Select(r => r.Subgraph).ToList());
        Assert.NotEmpty(_store.Entries);
    }

    [Fact]
    public async Task Mutation_Should_NeitherReadNorWriteTheStore_When_ItsPlanFetchesEntities()
    {
        // arrange
        using var cached = CachedEngine();

        // act
        var result = await cached.ExecuteAsync(new GatewayRequest("""mutation { addProduct(name: "Lamp", price: 12) { upc inStock reviews { body } } }""", null, null));

        // assert
        Assert.Null(result.Body["errors"]);
        Assert.Equal(0, _store.Reads);
        Assert.Empty(_store.Entries);
    }

    private GatewayEngine CachedEngine()
    {
        var options = _fixture.Options();
        var handlers = options.HandlerFactory!;
        options.HandlerFactory = name => new RecordingHandler(handlers(name), name, _requests);
        options.EntityCache.Enabled = true;
        options.EntityCache.Store = _store;
        foreach (var (subgraph, type) in new[] { ("inventory", "Product"), ("reviews", "Product"), ("accounts", "User") })
        {
            options.EntityCache.Declare(subgraph, type, new EntityCachePolicy(TimeSpan.FromMinutes(1), Private: false));
        }

        return new GatewayEngine(_fixture.SupergraphSdl, options);
    }

    /// <summary>Keeps every entry under version 0; nothing invalidates here.</summary>
    private sealed class MemoryEntityCache : IEntityCache
    {
        private int _reads;

        public ConcurrentDictionary<EntityCacheKey, string> Entries { get; } = new();

        public int Reads => _reads;

        public ValueTask<EntityCacheRead[]> ReadAsync(IReadOnlyList<EntityCacheKey> keys, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _reads);
            return ValueTask.FromResult(keys.Select(k => new EntityCacheRead(Entries.GetValueOrDefault(k), "0")).ToArray());
        }

        public ValueTask WriteAsync(IReadOnlyList<EntityCacheWrite> writes, CancellationToken cancellationToken)
        {
            foreach (var write in writes)
            {
                Entries[write.Key] = write.Json;
            }

            return ValueTask.CompletedTask;
        }
    }
}
