using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Federation.Gateway.Authorization;
using Federation.Gateway.Caching.Entities;
using Federation.Gateway.Tests.Fixtures;

namespace Federation.Gateway.Tests.Caching;

/// <summary>
/// The executor's entity cache seam on the in-process fixture subgraphs, over an in-memory store that keeps what it is
/// given (the Redis store is tested against a real Redis in RedisEntityCacheTests and EntityCacheLiveTests).
/// </summary>
// Adds products to the static fixture data, which the differential fuzz tests must not see change under them.
[Collection(FixtureData.Collection)]
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

    [Fact]
    public async Task EntityFetch_Should_BeStoredForTheSubgraphsMaxAge_When_TheOperatorDeclaresNothing()
    {
        // arrange
        Subgraph("inventory").CacheControl = "max-age=30, public";
        Subgraph("reviews").CacheControl = "public, max-age=90";
        using var cached = CachedEngine(declare: false);
        await cached.ExecuteAsync(new GatewayRequest(Products, null, null));
        _requests.Clear();

        // act
        await cached.ExecuteAsync(new GatewayRequest(Products, null, null));

        // assert
        Assert.Equal([30], TtlsOf("inventory"));
        Assert.Equal([90], TtlsOf("reviews"));
        Assert.Empty(TtlsOf("accounts"));
        Assert.Equal(["accounts", "products"], _requests.Select(r => r.Subgraph).Order(StringComparer.Ordinal).ToList());
    }

    [Fact]
    public async Task EntityFetch_Should_BeStoredForTheOperatorsCap_When_ItIsShorterThanTheSubgraphsMaxAge()
    {
        // arrange
        Subgraph("inventory").CacheControl = "max-age=300, public";
        Subgraph("reviews").CacheControl = "max-age=20, public";
        using var cached = CachedEngine(declare: false, ("inventory", "Product", new EntityCachePolicy(TimeSpan.FromSeconds(45), Private: false)), ("reviews", "Product", new EntityCachePolicy(TimeSpan.FromSeconds(45), Private: false)));

        // act
        await cached.ExecuteAsync(new GatewayRequest(Products, null, null));

        // assert
        Assert.Equal([45], TtlsOf("inventory"));
        Assert.Equal([20], TtlsOf("reviews"));
    }

    [Fact]
    public async Task EntityFetch_Should_NeitherBeStoredNorLookedUpAgain_When_TheSubgraphAnswersNoStore()
    {
        // arrange
        Subgraph("inventory").CacheControl = "no-store";
        Subgraph("reviews").CacheControl = "max-age=0, public";
        using var cached = CachedEngine(declare: true);
        await cached.ExecuteAsync(new GatewayRequest(Products, null, null));
        var readsAfterFirst = _store.Reads;
        _requests.Clear();

        // act
        var again = await cached.ExecuteAsync(new GatewayRequest(Products, null, null));

        // assert
        Assert.Null(again.Body["errors"]);
        Assert.Empty(TtlsOf("inventory"));
        Assert.Empty(TtlsOf("reviews"));
        Assert.Contains("inventory", _requests.Select(r => r.Subgraph));
        Assert.Contains("reviews", _requests.Select(r => r.Subgraph));

        // Only the accounts fetch, which the operator's policy makes cacheable without a header, is looked up again.
        Assert.Equal(1, _store.Reads - readsAfterFirst);
    }

    [Fact]
    public async Task PrivateAnswer_Should_BeServedOnlyToItsCaller_When_TheSubgraphAnswersPrivate()
    {
        // arrange
        Subgraph("inventory").CacheControl = "max-age=60, private";
        using var cached = CachedEngine(declare: false);
        var alice = CallerIdentity.Create("alice", ["shopper"]);
        var bob = CallerIdentity.Create("bob", ["shopper"]);
        await cached.ExecuteAsync(new GatewayRequest(Products, null, null, Caller: alice));
        _requests.Clear();

        // act
        await cached.ExecuteAsync(new GatewayRequest(Products, null, null, Caller: alice));
        var aliceAgain = _requests.Select(r => r.Subgraph).ToList();
        _requests.Clear();
        await cached.ExecuteAsync(new GatewayRequest(Products, null, null, Caller: bob));
        var bobFirst = _requests.Select(r => r.Subgraph).ToList();

        // assert
        var inventoryWrites = _store.Writes.Where(w => w.Key.Subgraph == "inventory").ToList();
        Assert.DoesNotContain("inventory", aliceAgain);
        Assert.Contains("inventory", bobFirst);
        Assert.NotEmpty(inventoryWrites);
        Assert.All(inventoryWrites.GroupBy(w => w.Key.Id), product => Assert.Equal(2, product.Select(w => w.Key.Variant).Distinct().Count()));
    }

    [Fact]
    public async Task Query_Should_SendNothing_When_EverySubgraphIncludingTheRootsAllowsCaching()
    {
        // arrange
        foreach (var subgraph in _fixture.Subgraphs.Values)
        {
            subgraph.CacheControl = "max-age=60, public";
        }

        using var plain = _fixture.CreateEngine(_fixture.SupergraphSdl);
        using var cached = CachedEngine(declare: false);
        var expected = (await plain.ExecuteAsync(new GatewayRequest(Products, null, null))).Body.ToJsonString();
        var miss = (await cached.ExecuteAsync(new GatewayRequest(Products, null, null))).Body.ToJsonString();
        _requests.Clear();

        // act
        var hit = (await cached.ExecuteAsync(new GatewayRequest(Products, null, null))).Body.ToJsonString();

        // assert
        Assert.Equal(expected, miss);
        Assert.Equal(expected, hit);
        Assert.Empty(_requests);
        Assert.Contains(_store.Writes, w => w.Key is { Subgraph: "products", TypeName: EntityCacheKey.RootType, Id: EntityCacheKey.RootId });
    }

    [Fact]
    public async Task RootFetch_Should_BeSentEveryTime_When_TheSubgraphAnswersNoStore()
    {
        // arrange
        _fixture.Subgraphs["products"].CacheControl = "no-store";
        using var cached = CachedEngine(declare: true);
        await cached.ExecuteAsync(new GatewayRequest(Products, null, null));
        _requests.Clear();

        // act
        await cached.ExecuteAsync(new GatewayRequest(Products, null, null));

        // assert
        Assert.Equal(["products"], _requests.Select(r => r.Subgraph).ToList());
        Assert.DoesNotContain(_store.Writes, w => w.Key.Subgraph == "products");
    }

    private ISubgraphFixture Subgraph(string name) => _fixture.Subgraphs[name];

    private List<int> TtlsOf(string subgraph) =>
        [.. _store.Writes.Where(w => w.Key.Subgraph == subgraph).Select(w => (int)w.Ttl.TotalSeconds).Distinct()];

    private GatewayEngine CachedEngine() => CachedEngine(declare: true);

    private GatewayEngine CachedEngine(bool declare, params (string Subgraph, string Type, EntityCachePolicy Policy)[] policies)
    {
        var options = _fixture.Options();
        var handlers = options.HandlerFactory!;
        options.HandlerFactory = name => new RecordingHandler(handlers(name), name, _requests);
        options.EntityCache.Enabled = true;
        options.EntityCache.Store = _store;
        if (declare)
        {
            foreach (var (subgraph, type) in new[] { ("inventory", "Product"), ("reviews", "Product"), ("accounts", "User") })
            {
                options.EntityCache.Declare(subgraph, type, new EntityCachePolicy(TimeSpan.FromMinutes(1), Private: false));
            }
        }

        foreach (var (subgraph, type, policy) in policies)
        {
            options.EntityCache.Declare(subgraph, type, policy);
        }

        return new GatewayEngine(_fixture.SupergraphSdl, options);
    }

    /// <summary>Keeps every entry under version 0; nothing invalidates here.</summary>
    private sealed class MemoryEntityCache : IEntityCache
    {
        private int _reads;

        public ConcurrentDictionary<EntityCacheKey, string> Entries { get; } = new();

        public ConcurrentQueue<EntityCacheWrite> Writes { get; } = new();

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
                Writes.Enqueue(write);
                Entries[write.Key] = write.Json;
            }

            return ValueTask.CompletedTask;
        }
    }
}
