using System.Text;
using Federation.Gateway.Caching.Entities;
using Federation.Gateway.Host;
using Federation.Gateway.Host.EntityCache;
using Federation.Testing.Processes;
using Federation.Testing.Servers;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Federation.Gateway.Tests.Caching;

/// <summary>
/// The invalidations the gateway's Kafka consumer hands over while Redis answers nothing: the consumer thread, which the
/// event-driven subscriptions share, is never held, and once Redis answers every change is applied, those that did not
/// fit the queue as the invalidation of their whole type.
/// </summary>
public sealed class EntityInvalidationQueueTests : IAsyncLifetime
{
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(5);
    private RedisServer _redis = null!;
    private IConnectionMultiplexer _multiplexer = null!;
    private RedisEntityCache _cache = null!;
    private EntityInvalidationConsumer _invalidations = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _multiplexer = RedisPersistedDocuments.Connect(_redis.ConnectionString);
        _cache = new RedisEntityCache(_multiplexer, NullLogger<RedisEntityCache>.Instance);
        _invalidations = new EntityInvalidationConsumer(_cache, NullLogger<EntityInvalidationConsumer>.Instance, capacity: 2);
        await _invalidations.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        Signals.Continue(_redis.Process.Id);
        await _invalidations.StopAsync(CancellationToken.None);
        _invalidations.Dispose();
        await _multiplexer.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task Handle_Should_NeverWaitForRedisAndLoseNoInvalidation_When_RedisAnswersNothingForAWhile()
    {
        // arrange: product 9 gets no event of its own; its entry goes stale only through the overflow's type invalidation
        string[] products = ["5", "6", "7", "8", "9"];
        foreach (var product in products)
        {
            await StoreAsync(Key(product));
        }

        Signals.Stop(_redis.Process.Id);

        // act: one change being retried, two queued, two beyond the queue
        var handled = Task.Run(() =>
        {
            foreach (var product in products[..4])
            {
                _invalidations.Handle(StockChanged(product));
            }
        });
        var returned = await Task.WhenAny(handled, Task.Delay(TimeSpan.FromSeconds(10))) == handled;
        Signals.Continue(_redis.Process.Id);
        var stale = await WaitUntilStaleAsync(products, TimeSpan.FromSeconds(30));

        // assert
        Assert.True(returned, "Handle waited for Redis");
        Assert.Equal(products, stale);
        Assert.Equal(0, _invalidations.Pending);
    }

    [Fact]
    public async Task Handle_Should_InvalidateOnlyTheEventsEntity_When_RedisAnswers()
    {
        // arrange
        await StoreAsync(Key("5"));
        await StoreAsync(Key("6"));

        // act
        _invalidations.Handle(StockChanged("5"));
        var stale = await WaitUntilStaleAsync(["5"], TimeSpan.FromSeconds(30));

        // assert
        Assert.Equal(["5"], stale);
        Assert.NotNull((await _cache.ReadAsync([Key("6")], default))[0].Json);
    }

    private async Task<string[]> WaitUntilStaleAsync(string[] products, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        string[] stale;
        do
        {
            var reads = await _cache.ReadAsync([.. products.Select(Key)], default);
            stale = [.. products.Where((_, i) => reads[i].Json is null && reads[i].Version is not null)];
            if (stale.Length == products.Length)
            {
                break;
            }

            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);
        return stale;
    }

    private Task StoreAsync(EntityCacheKey key) => RedisEntityCacheTests.StoreAsync(_cache, key, Ttl);

    private static byte[] StockChanged(string productId) =>
        Encoding.UTF8.GetBytes($$$"""{"type":"StockChanged","occurredAt":"{{{DateTimeOffset.UtcNow:O}}}","data":{"productId":{{{productId}}},"available":1}}""");

    private static EntityCacheKey Key(string id) => new("inventory", "Product", id, "selection");
}
