using System.Diagnostics;
using System.Text.Json.Nodes;
using Federation.Gateway.Caching;
using Federation.Gateway.Tests.Fixtures;
using Federation.Gateway.Tests.Transport;
using Federation.Testing.Servers;
using Xunit.Abstractions;

namespace Federation.Gateway.Tests.Caching;

/// <summary>
/// Automatic persisted queries in a real Redis, between gateway processes: what one replica registered, another serves;
/// with Redis gone the gateway still answers (a miss, then the client's full query).
/// </summary>
[Collection(LiveStackCollection.Name)]
public sealed class SharedPersistedDocumentTests(LiveStackFixture stack, ITestOutputHelper output) : IAsyncLifetime
{
    private const string Query = "{ categories { name } }";
    private RedisServer _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task PersistedQuery_Should_BeServedByAnotherGateway_When_BothShareRedis()
    {
        // arrange
        await using var first = await stack.StartGatewayAsync("--ConnectionStrings:Redis", _redis.ConnectionString);
        await using var second = await stack.StartGatewayAsync("--ConnectionStrings:Redis", _redis.ConnectionString);
        var unknownBefore = await second.PostAsync(HashOnly(Query));
        var registered = await first.PostAsync(WithHash(Query));

        // act
        var served = await second.PostAsync(HashOnly(Query));

        // assert
        Assert.Equal("PERSISTED_QUERY_NOT_FOUND", unknownBefore.Body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
        Assert.Equal(200, registered.Status);
        Assert.NotNull(registered.Body["data"]?["categories"]);
        Assert.Equal(200, served.Status);
        Assert.Equal(registered.Body.ToJsonString(), served.Body.ToJsonString());
    }

    [Fact]
    public async Task PersistedQuery_Should_MissThenRunFromMemory_When_RedisIsDown()
    {
        // arrange
        await using var gateway = await stack.StartGatewayAsync("--ConnectionStrings:Redis", _redis.ConnectionString);
        await _redis.DisposeAsync();
        var clock = Stopwatch.StartNew();

        // act
        var miss = await gateway.PostAsync(HashOnly(Query));
        var registered = await gateway.PostAsync(WithHash(Query));
        var served = await gateway.PostAsync(HashOnly(Query));
        var plain = await gateway.PostAsync(Query);
        clock.Stop();
        output.WriteLine($"four requests with Redis down: {clock.ElapsedMilliseconds} ms");

        // assert
        Assert.Equal(200, miss.Status);
        Assert.Equal("PERSISTED_QUERY_NOT_FOUND", miss.Body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
        Assert.Equal(200, registered.Status);
        Assert.Null(registered.Body["errors"]);
        Assert.Equal(registered.Body.ToJsonString(), served.Body.ToJsonString());
        Assert.Equal(registered.Body.ToJsonString(), plain.Body.ToJsonString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"four requests with Redis down took {clock.Elapsed}");
    }

    private static JsonObject HashOnly(string query) => new() { ["extensions"] = Persisted(query) };

    private static JsonObject WithHash(string query) => new() { ["query"] = query, ["extensions"] = Persisted(query) };

    private static JsonObject Persisted(string query) => new()
    {
        ["persistedQuery"] = new JsonObject { ["version"] = 1, ["sha256Hash"] = TrustedDocuments.Hash(query) },
    };
}
