using System.Text.Json.Nodes;
using Federation.Gateway.Tests.Fixtures.Subscriptions;

namespace Federation.Gateway.Tests.Subscriptions;

/// <summary>
/// A gateway shutting down (SIGTERM, a rolling update) ends its open subscriptions with a reason the client acts on,
/// rather than holding them until the host's shutdown timeout cuts them.
/// </summary>
public sealed class ShutdownTests
{
    private const string ProductChanged = """subscription { productChanged(upc: "4") { sequence product { name } } }""";

    [Fact]
    public async Task Shutdown_Should_CloseWebSocketsWithGoingAway_When_TheHostStops()
    {
        // arrange
        await using var stack = await SubscriptionStack.StartAsync();
        await using var client = await GraphQLWsClient.ConnectAsync(stack.WebSocketUrl);
        await client.InitAsync();
        await client.SubscribeAsync("1", ProductChanged);
        await stack.Live.WaitUntilAsync(l => l.Active == 1, "the gateway's subscription");

        // act
        var stopped = stack.Gateway.App.StopAsync();
        var closed = await client.ReceiveCloseAsync();
        await stopped.WaitAsync(TimeSpan.FromSeconds(20));

        // assert: 1001 is not fatal to graphql-ws clients, which reconnect and subscribe again.
        Assert.Equal((1001, "Going away: the gateway is shutting down"), closed);
        await stack.Live.WaitUntilAsync(l => l.Active == 0, "the subgraph subscription ended");
    }

    [Fact]
    public async Task Shutdown_Should_EndEventStreamsWithAReasonAndComplete_When_TheHostStops()
    {
        // arrange
        await using var stack = await SubscriptionStack.StartAsync();
        using var request = stack.EventStreamRequest(new JsonObject { ["query"] = ProductChanged }.ToJsonString());
        using var response = await stack.Gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var events = new EventStreamReader(await response.Content.ReadAsStreamAsync());
        await stack.Live.WaitUntilAsync(l => l.Active == 1, "the gateway's subscription");

        // act
        var stopped = stack.Gateway.App.StopAsync();
        var last = await events.NextAsync();
        var complete = await events.NextAsync();
        await stopped.WaitAsync(TimeSpan.FromSeconds(20));

        // assert
        Assert.Equal("next", last!.Value.Event);
        Assert.Equal(
            """{"errors":[{"message":"The gateway is shutting down; subscribe again and another replica will serve you.","extensions":{"code":"SUBSCRIPTION_GATEWAY_SHUTDOWN"}}]}""",
            last.Value.Data!.ToJsonString());
        Assert.Equal("complete", complete!.Value.Event);
        await stack.Live.WaitUntilAsync(l => l.Active == 0, "the subgraph subscription ended");
    }
}
