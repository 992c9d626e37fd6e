using System.Diagnostics;
using Federation.Gateway.Caching.Entities;
using Federation.Gateway.Host.EntityCache;
using Federation.Testing.Servers;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Federation.Gateway.Tests.Caching;

/// <summary>
/// The entity cache's store against a real Redis: entries are served only under the generation they were fetched
/// under, an invalidation racing a write always wins, and Redis gone is a miss, never an exception.
/// </summary>
public sealed class RedisEntityCacheTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(1);
    private RedisServer _redis = null!;
    private IConnectionMultiplexer _multiplexer = null!;
    private RedisEntityCache _cache = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _multiplexer = Federation.Gateway.Host.RedisPersistedDocuments.Connect(_redis.ConnectionString);
        _cache = new RedisEntityCache(_multiplexer, NullLogger<RedisEntityCache>.Instance);
    }

    public async Task DisposeAsync()
    {
        await _multiplexer.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task Read_Should_ServeTheStoredEntity_When_NothingInvalidatedIt()
    {
        // arrange
        var key = Key("1");
        var miss = (await _cache.ReadAsync([key], default))[0];
        await _cache.WriteAsync([new EntityCacheWrite(key, miss.Version!, """{"__typename":"Product","stock":{"available":3}}""", Ttl)], default);

        // act
        var hit = (await _cache.ReadAsync([key], default))[0];
        var otherSelection = (await _cache.ReadAsync([key with { Variant = "other" }], default))[0];

        // assert
        Assert.Null(miss.Json);
        Assert.Equal("""{"__typename":"Product","stock":{"available":3}}""", hit.Json);
        Assert.Null(otherSelection.Json);
    }

    [Fact]
    public async Task Read_Should_Miss_When_TheEntityOrItsTypeWasInvalidatedAfterTheStore()
    {
        // arrange
        var entity = Key("2");
        var sibling = Key("3");
        await StoreAsync(entity);
        await StoreAsync(sibling);

        // act
        await _cache.InvalidateAsync([("inventory", "Product", "2")]);
        var afterEntity = await _cache.ReadAsync([entity, sibling], default);
        await _cache.InvalidateAsync([("inventory", "Product", null)]);
        var afterType = await _cache.ReadAsync([sibling], default);

        // assert
        Assert.Null(afterEntity[0].Json);
        Assert.NotNull(afterEntity[1].Json);
        Assert.Null(afterType[0].Json);
    }

    [Fact]
    public async Task Write_Should_NeverLeaveAnEntryFetchedBeforeAnInvalidation_When_BothRaceThousandsOfTimes()
    {
        // arrange
        const int iterations = 5000;
        var stale = 0;
        var storedFirst = 0;
        var clock = Stopwatch.StartNew();

        // act
        for (var i = 0; i < iterations; i++)
        {
            var key = Key((i % 50).ToString(System.Globalization.CultureInfo.InvariantCulture));
            var read = (await _cache.ReadAsync([key], default))[0];

            // The fetch's answer is stored while the entity's event invalidates it; either may reach Redis first.
            var write = Task.Run(async () => await _cache.WriteAsync([new EntityCacheWrite(key, read.Version!, "{\"before\":true}", Ttl)], default));
            var invalidate = Task.Run(() => _cache.InvalidateAsync([("inventory", "Product", key.Id)]));
            await Task.WhenAll(write, invalidate);
            var after = (await _cache.ReadAsync([key], default))[0];
            stale += after.Json is null ? 0 : 1;

            // The next iteration's read proves the same key is writable again: a fresh fetch is stored and served.
            await _cache.WriteAsync([new EntityCacheWrite(key, after.Version!, "{\"after\":true}", Ttl)], default);
            storedFirst += (await _cache.ReadAsync([key], default))[0].Json == "{\"after\":true}" ? 1 : 0;
        }

        output.WriteLine($"{iterations} races of a store against an invalidation in {clock.ElapsedMilliseconds} ms: {stale} stale entries, {storedFirst} fresh stores served");

        // assert
        Assert.Equal(0, stale);
        Assert.Equal(iterations, storedFirst);
    }

    [Fact]
    public async Task Write_Should_KeepTheFreshEntry_When_AFetchFromBeforeTheInvalidationStoresLate()
    {
        // arrange
        var key = Key("5");
        var slow = (await _cache.ReadAsync([key], default))[0];
        await _cache.InvalidateAsync([("inventory", "Product", "5")]);
        var fresh = (await _cache.ReadAsync([key], default))[0];
        await _cache.WriteAsync([new EntityCacheWrite(key, fresh.Version!, "{\"fresh\":true}", Ttl)], default);

        // act
        await _cache.WriteAsync([new EntityCacheWrite(key, slow.Version!, "{\"stale\":true}", Ttl)], default);

        // assert
        Assert.NotEqual(slow.Version, fresh.Version);
        Assert.Equal("{\"fresh\":true}", (await _cache.ReadAsync([key], default))[0].Json);
    }

    [Fact]
    public async Task ReadAndWrite_Should_MissAndSkipWithoutThrowing_When_RedisIsDown()
    {
        // arrange
        var key = Key("4");
        await StoreAsync(key);
        await _redis.DisposeAsync();
        var clock = Stopwatch.StartNew();

        // act
        var read = (await _cache.ReadAsync([key], default))[0];
        await _cache.WriteAsync([new EntityCacheWrite(key, "0.0", "{}", Ttl)], default);
        var invalidate = await Record.ExceptionAsync(() => _cache.InvalidateAsync([("inventory", "Product", "4")]));

        // assert
        Assert.Null(read.Json);
        Assert.Null(read.Version);
        Assert.IsAssignableFrom<RedisException>(invalidate);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"Redis down took {clock.Elapsed}");
    }

    private Task StoreAsync(EntityCacheKey key) => StoreAsync(_cache, key, Ttl);

    /// <summary>Stores an entry for <paramref name="key"/> as a fetch would, and checks it is served.</summary>
    internal static async Task StoreAsync(RedisEntityCache cache, EntityCacheKey key, TimeSpan ttl)
    {
        var read = (await cache.ReadAsync([key], default))[0];
        await cache.WriteAsync([new EntityCacheWrite(key, read.Version!, "{\"id\":\"" + key.Id + "\"}", ttl)], default);
        Assert.NotNull((await cache.ReadAsync([key], default))[0].Json);
    }

    private static EntityCacheKey Key(string id) => new("inventory", "Product", id, "selection");
}
