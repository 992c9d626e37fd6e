using System.Net;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Federation.Gateway.Tests.Fixtures.Subscriptions;

namespace Federation.Gateway.Tests.Subscriptions;

/// <summary>
/// graphql-transport-ws at the real host's /graphql: a subscription forwarded to the live subgraph over SSE, each event
/// completed with entity fetches to products and inventory, and the protocol's handshake, ping/pong and close codes.
/// </summary>
public sealed class GraphQLWebSocketTests : IAsyncLifetime
{
    private const string ProductChanged = """
        subscription Watch($upc: String) {
          productChanged(upc: $upc) { sequence product { upc name price inStock shippingEstimate } }
        }
        """;

    private SubscriptionStack _stack = null!;

    public async Task InitializeAsync() =>
        _stack = await SubscriptionStack.StartAsync("--Subscriptions:ConnectionInitTimeout", "30", "--Subscriptions:MaxOperationsPerConnection", "2");

    public async Task DisposeAsync() => await _stack.DisposeAsync();

    [Fact]
    public async Task Subscribe_Should_StreamEventsCompletedThroughEntityFetches_When_SubgraphPublishes()
    {
        // arrange
        await using var client = await ConnectAsync();
        await client.SubscribeAsync("1", ProductChanged, new JsonObject { ["upc"] = "1" });
        await _stack.Live.WaitUntilAsync(l => l.Active == 1, "the gateway's subscription");

        // act
        _stack.Live.Publish(new ProductChange(1, "1"));
        _stack.Live.Publish(new ProductChange(2, "2"));
        _stack.Live.Publish(new ProductChange(3, "1"));
        var first = await client.ReceiveAsync();
        var second = await client.ReceiveAsync();
        _stack.Live.CompleteAll();
        var complete = await client.ReceiveAsync();

        // assert
        Assert.Equal(
            """{"id":"1","type":"next","payload":{"data":{"productChanged":{"sequence":1,"product":{"upc":"1","name":"Table","price":899,"inStock":true,"shippingEstimate":50}}}}}""",
            first.ToJsonString());
        Assert.Equal(3, second["payload"]!["data"]!["productChanged"]!["sequence"]!.GetValue<int>());
        Assert.Equal("""{"id":"1","type":"complete"}""", complete.ToJsonString());
    }

    [Fact]
    public async Task Subscribe_Should_ForwardConfiguredHeadersOnly_When_OpeningSubgraphSubscription()
    {
        // arrange: X-Tenant is in ForwardHeaders here
        await using var client = await GraphQLWsClient.ConnectAsync(
            _stack.WebSocketUrl,
            authorization: "Bearer " + _stack.Issuer.Token(),
            headers: new Dictionary<string, string> { ["X-Tenant"] = "acme", ["X-Other"] = "kept back" });
        await client.InitAsync();
        var before = _stack.Live.Requests.Count;

        // act
        await client.SubscribeAsync("1", ProductChanged);
        await _stack.Live.WaitUntilAsync(l => l.Active == 1, "the gateway's subscription");

        // assert
        var headers = _stack.Live.Requests.Skip(before).Single();
        Assert.Equal("text/event-stream", headers.Accept.ToString().Split(',')[0]);
        Assert.Equal("acme", headers["X-Tenant"].ToString());
        Assert.False(headers.ContainsKey("X-Other"));
        Assert.False(headers.ContainsKey("Authorization"), "no internal token keys are configured here, and the client's own token never goes on");
    }

    [Fact]
    public async Task Complete_Should_EndSubgraphSubscription_When_ClientCompletesOperation()
    {
        // arrange
        await using var client = await ConnectAsync();
        await client.SubscribeAsync("1", ProductChanged);
        await _stack.Live.WaitUntilAsync(l => l.Active == 1, "the gateway's subscription");

        // act
        await client.SendAsync("""{"id":"1","type":"complete"}""");
        await _stack.Live.WaitUntilAsync(l => l.Unsubscribed == 1 && l.Active == 0, "the gateway unsubscribing");
        await client.SendAsync("""{"type":"ping"}""");

        // assert: nothing was sent for the completed operation before the pong
        Assert.Equal("""{"type":"pong"}""", (await client.ReceiveAsync()).ToJsonString());
    }

    [Fact]
    public async Task Close_Should_EndSubgraphSubscriptions_When_ClientDisconnects()
    {
        // arrange
        var client = await ConnectAsync();
        await client.SubscribeAsync("1", ProductChanged);
        await client.SubscribeAsync("2", ProductChanged, new JsonObject { ["upc"] = "2" });
        await _stack.Live.WaitUntilAsync(l => l.Active == 2, "both subscriptions");

        // act
        client.Socket.Abort();
        client.Socket.Dispose();

        // assert
        await _stack.Live.WaitUntilAsync(l => l.Unsubscribed == 2 && l.Active == 0, "both subscriptions ended by the gateway");
    }

    [Fact]
    public async Task Subscribe_Should_ReportFieldErrorInNext_When_EventHasOne()
    {
        // arrange
        await using var client = await ConnectAsync();
        await client.SubscribeAsync("a", "subscription { productChanged { sequence note } }");
        await _stack.Live.WaitUntilAsync(l => l.Active == 1, "the gateway's subscription");

        // act
        _stack.Live.Publish(new ProductChange(7, "1", "fail"));
        var next = await client.ReceiveAsync();

        // assert
        Assert.Equal("next", next["type"]!.GetValue<string>());
        Assert.Equal("""{"sequence":7,"note":null}""", next["payload"]!["data"]!["productChanged"]!.ToJsonString());
        var error = next["payload"]!["errors"]![0]!;
        Assert.Equal("The note could not be read.", error["message"]!.GetValue<string>());
        Assert.Equal("""["productChanged","note"]""", error["path"]!.ToJsonString());
    }

    [Fact]
    public async Task Subscribe_Should_AnswerErrorMessage_When_OperationDoesNotValidate()
    {
        // arrange
        await using var client = await ConnectAsync();

        // act
        await client.SubscribeAsync("bad", "subscription { productChanged { nope } }");
        var error = await client.ReceiveAsync();
        await client.SendAsync("""{"type":"ping"}""");

        // assert: the operation is refused, the connection stays
        Assert.Equal("error", error["type"]!.GetValue<string>());
        Assert.Equal("bad", error["id"]!.GetValue<string>());
        Assert.Equal("GRAPHQL_VALIDATION_FAILED", error["payload"]![0]!["extensions"]!["code"]!.GetValue<string>());
        Assert.Equal("pong", (await client.ReceiveAsync())["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Subscribe_Should_AnswerNextAndComplete_When_OperationIsQuery()
    {
        // arrange
        await using var client = await ConnectAsync();

        // act
        await client.SubscribeAsync("q", """{ product(upc: "2") { name inStock } }""");
        var next = await client.ReceiveAsync();
        var complete = await client.ReceiveAsync();

        // assert
        Assert.Equal("""{"id":"q","type":"next","payload":{"data":{"product":{"name":"Couch","inStock":false}}}}""", next.ToJsonString());
        Assert.Equal("""{"id":"q","type":"complete"}""", complete.ToJsonString());
    }

    [Fact]
    public async Task Ping_Should_AnswerPongWithPayload_When_ClientPings()
    {
        // arrange
        await using var client = await ConnectAsync();

        // act
        await client.SendAsync("""{"type":"ping","payload":{"at":1}}""");

        // assert
        Assert.Equal("""{"type":"pong","payload":{"at":1}}""", (await client.ReceiveAsync()).ToJsonString());
    }

    [Fact]
    public async Task Subscribe_Should_AnswerTooManyOperations_When_ConnectionRunsItsLimit()
    {
        // arrange: Subscriptions:MaxOperationsPerConnection is 2 here
        await using var client = await ConnectAsync();
        await client.SubscribeAsync("1", ProductChanged);
        await client.SubscribeAsync("2", ProductChanged);
        await _stack.Live.WaitUntilAsync(l => l.Active == 2, "both subscriptions");

        // act
        await client.SubscribeAsync("3", ProductChanged);
        var error = await client.ReceiveAsync();

        // assert
        Assert.Equal("error", error["type"]!.GetValue<string>());
        Assert.Equal("3", error["id"]!.GetValue<string>());
        Assert.Equal("TOO_MANY_OPERATIONS", error["payload"]![0]!["extensions"]!["code"]!.GetValue<string>());
        Assert.Equal(2, _stack.Live.Active);
    }

    public static TheoryData<string, int> Violations() => new()
    {
        { "not json", 4400 },
        { """{"id":"1"}""", 4400 },
        { """{"type":"connection_ack"}""", 4400 },
        { """{"type":"subscribe","id":"1"}""", 4400 },
        { """{"type":"connection_init"}""", 4429 },
    };

    [Theory]
    [MemberData(nameof(Violations))]
    public async Task Message_Should_CloseWithProtocolCode_When_ItViolatesProtocol(string message, int code)
    {
        // arrange
        await using var client = await ConnectAsync();

        // act
        await client.SendAsync(message);
        var (closed, _) = await client.ReceiveCloseAsync();

        // assert
        Assert.Equal(code, closed);
    }

    [Fact]
    public async Task Subscribe_Should_CloseWith4401_When_ConnectionIsNotAcknowledged()
    {
        // arrange
        await using var client = await GraphQLWsClient.ConnectAsync(_stack.WebSocketUrl);

        // act
        await client.SubscribeAsync("1", ProductChanged);

        // assert
        Assert.Equal((4401, "Unauthorized"), await client.ReceiveCloseAsync());
    }

    [Fact]
    public async Task Subscribe_Should_CloseWith4409_When_IdIsAlreadyRunning()
    {
        // arrange
        await using var client = await ConnectAsync();
        await client.SubscribeAsync("1", ProductChanged);

        // act
        await client.SubscribeAsync("1", ProductChanged);

        // assert
        Assert.Equal((4409, "Subscriber for 1 already exists"), await client.ReceiveCloseAsync());
        await _stack.Live.WaitUntilAsync(l => l.Active == 0, "no subscription left open");
    }

    [Fact]
    public async Task Connection_Should_CloseWith4408_When_InitNeverArrives()
    {
        // arrange: a gateway giving 1 s (the others here give 30 s, so a loaded machine never closes their sockets first)
        await using var quick = await SubscriptionStack.StartAsync("--Subscriptions:ConnectionInitTimeout", "1");
        await using var client = await GraphQLWsClient.ConnectAsync(quick.WebSocketUrl);

        // act
        var closed = await client.ReceiveCloseAsync();

        // assert
        Assert.Equal((4408, "Connection initialisation timeout"), closed);
    }

    [Fact]
    public async Task Connection_Should_CloseWith4406_When_SubprotocolIsNotGraphQLTransportWs()
    {
        // arrange
        await using var client = await GraphQLWsClient.ConnectAsync(_stack.WebSocketUrl, protocol: null);

        // act
        var closed = await client.ReceiveCloseAsync();

        // assert
        Assert.Equal((4406, "Subprotocol not acceptable"), closed);
    }

    [Fact]
    public async Task Init_Should_CloseWith4403_When_PayloadTokenIsForged()
    {
        // arrange
        await using var client = await GraphQLWsClient.ConnectAsync(_stack.WebSocketUrl);
        var forged = _stack.Issuer.Token(key: Fixtures.TokenIssuer.NewKey());

        // act
        await client.SendAsync(new JsonObject { ["type"] = "connection_init", ["payload"] = new JsonObject { ["Authorization"] = "Bearer " + forged } });
        var (code, reason) = await client.ReceiveCloseAsync();

        // assert
        Assert.Equal(4403, code);
        Assert.StartsWith("Forbidden: ", reason);
    }

    [Fact]
    public async Task Upgrade_Should_Answer401_When_HeaderTokenIsForged()
    {
        // arrange
        var forged = _stack.Issuer.Token(key: Fixtures.TokenIssuer.NewKey());

        // act
        var failure = await Assert.ThrowsAsync<WebSocketException>(() => GraphQLWsClient.ConnectAsync(_stack.WebSocketUrl, authorization: "Bearer " + forged));

        // assert
        Assert.Contains("401", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("payload")]
    [InlineData("header")]
    public async Task Subscribe_Should_ResolveAuthenticatedFieldsPerEvent_When_CallerIsAuthenticated(string carrier)
    {
        // arrange
        var token = _stack.Issuer.Token();
        await using var client = await GraphQLWsClient.ConnectAsync(_stack.WebSocketUrl, authorization: carrier == "header" ? "Bearer " + token : null);
        await client.InitAsync(carrier == "payload" ? new JsonObject { ["authorization"] = "Bearer " + token } : null);
        await client.SubscribeAsync("1", "subscription { productChanged { sequence watcherNote } }");
        await _stack.Live.WaitUntilAsync(l => l.Active == 1, "the gateway's subscription");

        // act
        _stack.Live.Publish(new ProductChange(4, "1"));
        var next = await client.ReceiveAsync();

        // assert
        Assert.Equal("""{"data":{"productChanged":{"sequence":4,"watcherNote":"seen by 4"}}}""", next["payload"]!.ToJsonString());
    }

    [Fact]
    public async Task Subscribe_Should_NullAuthenticatedFieldsInEveryEvent_When_CallerIsAnonymous()
    {
        // arrange
        await using var client = await ConnectAsync();
        await client.SubscribeAsync("1", "subscription { productChanged { sequence watcherNote } }");
        await _stack.Live.WaitUntilAsync(l => l.Active == 1, "the gateway's subscription");

        // act
        _stack.Live.Publish(new ProductChange(1, "1"));
        _stack.Live.Publish(new ProductChange(2, "1"));
        var events = new[] { await client.ReceiveAsync(), await client.ReceiveAsync() };

        // assert
        foreach (var next in events)
        {
            Assert.Null(next["payload"]!["data"]!["productChanged"]!["watcherNote"]);
            Assert.Equal("UNAUTHORIZED_FIELD_OR_TYPE", next["payload"]!["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Connection_Should_CloseWith4403_When_TokenExpires()
    {
        // arrange: expiring in 5 s, time for the subscription to reach the subgraph first on a loaded machine
        var token = _stack.Issuer.Token(expires: DateTime.UtcNow.AddSeconds(5));
        await using var client = await GraphQLWsClient.ConnectAsync(_stack.WebSocketUrl);
        await client.InitAsync(new JsonObject { ["Authorization"] = "Bearer " + token });
        await client.SubscribeAsync("1", ProductChanged);
        await _stack.Live.WaitUntilAsync(l => l.Active == 1, "the gateway's subscription");

        // act
        var (messages, code, reason) = await client.ReceiveUntilCloseAsync();

        // assert: the stream's own closing error may get out first; the socket closes either way
        Assert.Equal(4403, code);
        Assert.Equal("Forbidden: the token has expired", reason);
        Assert.All(messages, m => Assert.True(
            m["type"]!.GetValue<string>() == "complete" || m["payload"]!["errors"]![0]!["extensions"]!["code"]!.GetValue<string>() == "UNAUTHENTICATED",
            m.ToJsonString()));
        await _stack.Live.WaitUntilAsync(l => l.Active == 0 && l.Unsubscribed == 1, "the subscription ended with the token");
    }

    [Theory]
    [InlineData("ws")]
    [InlineData("sse")]
    public async Task ClientLibrary_Should_ReceiveCompletedEvents_When_ItSubscribesThroughGateway(string transport)
    {
        // arrange: graphql-ws (what Apollo Client's GraphQLWsLink and Banana Cake Pop use) or graphql-sse, in node
        var query = "subscription { productChanged(upc: \"3\") { sequence watcherNote product { name price } } }";
        await using var node = await Fixtures.ClientTools.StartAsync(
            "subscriptions.mjs", [transport, _stack.Gateway.Client.BaseAddress + "graphql", "2", query, _stack.Issuer.Token()]);
        await _stack.Live.WaitUntilAsync(l => l.Active == 1, "the client library's subscription");

        // act
        _stack.Live.Publish(new ProductChange(1, "3"));
        _stack.Live.Publish(new ProductChange(2, "3"));
        var exitCode = await node.WaitForExitAsync(TimeSpan.FromSeconds(30));

        // assert
        Assert.True(exitCode == 0, node.OutputTail());
        Assert.Equal(
            """[{"data":{"productChanged":{"sequence":1,"watcherNote":"seen by 1","product":{"name":"Chair","price":54}}}},{"data":{"productChanged":{"sequence":2,"watcherNote":"seen by 2","product":{"name":"Chair","price":54}}}}]""",
            JsonNode.Parse(node.StandardOutputLines[^1])!["results"]!.ToJsonString());
        await _stack.Live.WaitUntilAsync(l => l.Active == 0 && l.Unsubscribed == 1, "the client library's unsubscribe reaching the subgraph");
    }

    [Fact]
    public async Task Upgrade_Should_Answer503_When_ConnectionsAreAtTheirLimit()
    {
        // arrange
        await using var limited = await SubscriptionStack.StartAsync("--Subscriptions:MaxConnections", "1");
        var url = limited.WebSocketUrl;
        await using var first = await GraphQLWsClient.ConnectAsync(url);
        await first.InitAsync();

        // act
        var refused = await Assert.ThrowsAsync<WebSocketException>(() => GraphQLWsClient.ConnectAsync(url));

        // assert
        Assert.Contains(((int)HttpStatusCode.ServiceUnavailable).ToString(System.Globalization.CultureInfo.InvariantCulture), refused.Message, StringComparison.Ordinal);
    }

    private async Task<GraphQLWsClient> ConnectAsync()
    {
        var client = await GraphQLWsClient.ConnectAsync(_stack.WebSocketUrl);
        await client.InitAsync();
        return client;
    }
}
