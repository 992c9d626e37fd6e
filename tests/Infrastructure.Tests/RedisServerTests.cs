using Federation.Testing.Fixtures;
using StackExchange.Redis;

namespace Infrastructure.Tests;

public sealed class RedisServerTests(InfrastructureFixture fixture) : IClassFixture<InfrastructureFixture>
{
    [Fact]
    public async Task RedisServer_Should_AnswerPingAndReturnStoredValue_When_Connected()
    {
        // arrange
        await using var redis = await ConnectionMultiplexer.ConnectAsync(fixture.Redis.ConnectionString);
        var database = redis.GetDatabase();
        var key = $"test:{Guid.NewGuid():N}";

        // act
        var latency = await database.PingAsync();
        var stored = await database.StringSetAsync(key, "value-1");
        var value = await database.StringGetAsync(key);

        // assert
        Assert.True(latency < TimeSpan.FromSeconds(5));
        Assert.True(stored);
        Assert.Equal("value-1", value.ToString());
    }

    [Fact]
    public async Task RedisServer_Should_KeepNothingOnDisk_When_Started()
    {
        // arrange
        await using var redis = await ConnectionMultiplexer.ConnectAsync(fixture.Redis.ConnectionString + ",allowAdmin=true");
        var server = redis.GetServer(redis.GetEndPoints()[0]);

        // act
        var save = await server.ConfigGetAsync("save");
        var appendOnly = await server.ConfigGetAsync("appendonly");

        // assert
        Assert.Equal(string.Empty, save.Single().Value);
        Assert.Equal("no", appendOnly.Single().Value);
    }
}
