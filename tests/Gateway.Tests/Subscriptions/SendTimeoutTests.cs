using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Federation.Gateway.Tests.Fixtures.Subscriptions;

namespace Federation.Gateway.Tests.Subscriptions;

/// <summary>A WebSocket client that stops reading is cut off after <c>Subscriptions:SendTimeout</c>, its subscriptions ended.</summary>
public sealed class SendTimeoutTests : IAsyncLifetime
{
    private SubscriptionStack _stack = null!;

    public async Task InitializeAsync() =>
        _stack = await SubscriptionStack.StartAsync("--Subscriptions:ConnectionInitTimeout", "30", "--Subscriptions:SendTimeout", "1");

    public async Task DisposeAsync() => await _stack.DisposeAsync();

    [Fact]
    public async Task WebSocket_Should_BeAbortedAndItsSubscriptionEnded_When_TheClientReadsNothingForTheSendTimeout()
    {
        // arrange: 48 events of 512 KB fill the loopback socket's buffers many times over; the client reads none of them.
        await using var client = await GraphQLWsClient.ConnectAsync(_stack.WebSocketUrl);
        await client.InitAsync();
        await client.SubscribeAsync("1", "subscription { productChanged { sequence note } }");
        await _stack.Live.WaitUntilAsync(l => l.Active == 1, "the gateway's subscription");
        var note = new string('x', 512 * 1024);

        // act
        for (var sequence = 1; sequence <= 48; sequence++)
        {
            _stack.Live.Publish(new ProductChange(sequence, "1", note));
        }

        await _stack.Live.WaitUntilAsync(l => l.Active == 0, "the subscription ended by the send timeout");
        var read = 0;
        var ended = false;
        var buffer = new byte[1 << 20];
        try
        {
            while (read < 48 * note.Length)
            {
                var result = await client.Socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                read += result.Count;
            }
        }
        catch (WebSocketException)
        {
            ended = true;
        }

        // assert: the connection was reset before all events were sent, and the subgraph's subscription is gone.
        Assert.True(ended || read < 48 * note.Length, $"the client read {read} bytes, every event");
        Assert.Equal(1, _stack.Live.Unsubscribed);
    }
}
