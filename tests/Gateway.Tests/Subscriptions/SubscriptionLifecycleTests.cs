using System.Text.Json.Nodes;
using Federation.Gateway.Tests.Fixtures;
using Federation.Gateway.Tests.Fixtures.Subscriptions;
using Microsoft.Extensions.DependencyInjection;

namespace Federation.Gateway.Tests.Subscriptions;

/// <summary>How the engine plans a subscription and ends its streams: slow subscribers, reloads, failing subgraphs.</summary>
public sealed class SubscriptionLifecycleTests : IAsyncLifetime
{
    private const string ProductChanged = "subscription { productChanged { sequence product { name inStock } } }";

    private readonly GatewayFixture _fixture = new();
    private LiveSubgraph _live = null!;

    public async Task InitializeAsync() => _live = await LiveSubgraph.StartAsync();

    public async Task DisposeAsync()
    {
        await _live.DisposeAsync();
        _fixture.Dispose();
    }

    [Fact]
    public void Plan_Should_SubscribeAtDeclaringSubgraphAndFetchEntitiesAfter_When_OperationIsSubscription()
    {
        // arrange
        using var engine = Engine();

        // act
        var plan = engine.Plan("subscription Watch { productChanged { sequence product { name inStock } } }");

        // assert
        Assert.Equal(
            """{"kind":"QueryPlan","fetches":[{"id":0,"service":"live","kind":"Root","operation":"subscription Watch__live__0 {productChanged {sequence product {__typename upc}}}"},{"id":1,"service":"products","kind":"Entity","path":"productChanged.product","dependsOn":[0],"operation":"query Watch__products__1($representations: [_Any!]!) {_entities(representations: $representations) {... on Product {name}}}"},{"id":2,"service":"inventory","kind":"Entity","path":"productChanged.product","dependsOn":[0],"operation":"query Watch__inventory__2($representations: [_Any!]!) {_entities(representations: $representations) {... on Product {inStock}}}"}]}""",
            plan.ToJson().ToJsonString());
    }

    [Fact]
    public async Task Stream_Should_EndWithOverflowErrorAndUnsubscribe_When_SubscriberFallsBufferSizeBehind()
    {
        // arrange: a buffer of 3; the reader takes the first event, then stops reading
        using var engine = Engine(bufferSize: 3);
        var stream = await SubscribeAsync(engine);
        await using var reader = stream.GetAsyncEnumerator();
        var first = reader.MoveNextAsync();
        await _live.WaitUntilAsync(l => l.Active == 1, "the gateway's subscription");
        _live.Publish(new ProductChange(1, "1"));
        Assert.True(await first);

        // act
        for (var sequence = 2; sequence <= 10; sequence++)
        {
            _live.Publish(new ProductChange(sequence, "1"));
        }

        await _live.WaitUntilAsync(l => l.Active == 0 && l.Unsubscribed == 1, "the overflowing subscriber unsubscribed");
        var rest = new List<JsonObject>();
        while (await reader.MoveNextAsync())
        {
            rest.Add(reader.Current.Body);
        }

        // assert: the three buffered events, then the reason; nothing beyond the buffer was kept
        Assert.Equal([2, 3, 4], rest.Take(3).Select(b => b["data"]!["productChanged"]!["sequence"]!.GetValue<int>()));
        Assert.Equal(4, rest.Count);
        Assert.Equal("SUBSCRIPTION_BUFFER_OVERFLOW", rest[3]["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Stream_Should_EndWithSchemaReloadError_When_SupergraphIsReloaded()
    {
        // arrange
        using var engine = Engine();
        var stream = await SubscribeAsync(engine);
        await using var reader = stream.GetAsyncEnumerator();
        var first = reader.MoveNextAsync();
        await _live.WaitUntilAsync(l => l.Active == 1, "the gateway's subscription");

        // act
        engine.Reload(SubscriptionStack.SupergraphSdl);

        // assert
        Assert.True(await first);
        Assert.Equal(
            """{"errors":[{"message":"subscription has been closed due to a schema reload","extensions":{"code":"SUBSCRIPTION_SCHEMA_RELOAD"}}]}""",
            reader.Current.Body.ToJsonString());
        Assert.False(await reader.MoveNextAsync());
        await _live.WaitUntilAsync(l => l.Active == 0 && l.Unsubscribed == 1, "the gateway unsubscribing");
    }

    [Fact]
    public async Task WebSocket_Should_ReceiveSchemaReloadErrorAndComplete_When_HostReloadsSupergraph()
    {
        // arrange
        await using var stack = await SubscriptionStack.StartAsync();
        await using var client = await GraphQLWsClient.ConnectAsync(stack.WebSocketUrl);
        await client.InitAsync();
        await client.SubscribeAsync("1", ProductChanged);
        await stack.Live.WaitUntilAsync(l => l.Active == 1, "the gateway's subscription");

        // act: the supergraph file changes; the host's watcher reloads it
        await File.AppendAllTextAsync(stack.Gateway.SupergraphPath, "\n# reloaded\n");
        var next = await client.ReceiveAsync();
        var complete = await client.ReceiveAsync();

        // assert
        Assert.Equal("SUBSCRIPTION_SCHEMA_RELOAD", next["payload"]!["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
        Assert.Equal("""{"id":"1","type":"complete"}""", complete.ToJsonString());
        await stack.Live.WaitUntilAsync(l => l.Active == 0, "the gateway unsubscribing");
        Assert.Equal(1, stack.Gateway.App.Services.GetRequiredService<Federation.Gateway.Host.Subscriptions.SubscriptionConnections>().Open);
    }

    [Fact]
    public async Task Stream_Should_EndWithDownstreamError_When_SubgraphCannotBeReached()
    {
        // arrange: nothing listens at the live subgraph's address any more
        var url = _live.Url;
        await _live.DisposeAsync();
        using var engine = Engine(url: url);
        var stream = await SubscribeAsync(engine);

        // act
        var answers = new List<JsonObject>();
        await foreach (var answer in stream)
        {
            answers.Add(answer.Body);
        }

        // assert
        var error = Assert.Single(answers)["errors"]![0]!;
        Assert.Equal("DOWNSTREAM_SERVICE_ERROR", error["extensions"]!["code"]!.GetValue<string>());
        Assert.Equal("live", error["extensions"]!["serviceName"]!.GetValue<string>());
    }

    [Fact]
    public async Task Execute_Should_RefuseSubscription_When_TransportCannotStream()
    {
        // arrange
        using var engine = Engine();

        // act
        var result = await engine.ExecuteAsync(new GatewayRequest(ProductChanged, null, null));

        // assert
        Assert.Equal(400, result.StatusCode);
        Assert.Null(result.Stream);
        Assert.Equal(0, _live.Active);
    }

    private GatewayEngine Engine(int? bufferSize = null, string? url = null)
    {
        var options = _fixture.Options();
        var handlers = options.HandlerFactory!;
        options.HandlerFactory = name => name == "live" ? new SocketsHttpHandler() : handlers(name);
        options.SubgraphUrls["live"] = url ?? _live.Url;
        options.Subscriptions.BufferSize = bufferSize ?? options.Subscriptions.BufferSize;
        return new GatewayEngine(SubscriptionStack.SupergraphSdl, options);
    }

    private static async Task<Federation.Gateway.Subscriptions.SubscriptionStream> SubscribeAsync(GatewayEngine engine)
    {
        var result = await engine.ExecuteAsync(new GatewayRequest(ProductChanged, null, null, Streams: true));
        Assert.True(result.Stream is not null, result.Body.ToJsonString());
        return result.Stream!;
    }
}
