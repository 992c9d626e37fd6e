using System.Net;
using System.Text.Json.Nodes;
using Federation.Gateway.Tests.Fixtures.Subscriptions;

namespace Federation.Gateway.Tests.Subscriptions;

/// <summary>GraphQL over SSE (graphql-sse distinct connections) at the real host's /graphql.</summary>
public sealed class EventStreamTests : IAsyncLifetime
{
    private const string ProductChanged = """{"query":"subscription { productChanged(upc: \"4\") { sequence product { name shippingEstimate } } }"}""";

    private SubscriptionStack _stack = null!;

    public async Task InitializeAsync() => _stack = await SubscriptionStack.StartAsync("--Subscriptions:KeepAliveInterval", "0.2");

    public async Task DisposeAsync() => await _stack.DisposeAsync();

    [Fact]
    public async Task Post_Should_StreamNextEventsAndComplete_When_AcceptIsEventStream()
    {
        // arrange
        using var request = _stack.EventStreamRequest(ProductChanged);
        using var response = await _stack.Gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var events = new EventStreamReader(await response.Content.ReadAsStreamAsync());
        await _stack.Live.WaitUntilAsync(l => l.Active == 1, "the gateway's subscription");

        // act
        _stack.Live.Publish(new ProductChange(1, "4"));
        var next = await events.NextAsync();
        _stack.Live.CompleteAll();
        var complete = await events.NextAsync();
        var end = await events.NextAsync();

        // assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("next", next!.Value.Event);
        Assert.Equal("""{"data":{"productChanged":{"sequence":1,"product":{"name":"Kettle","shippingEstimate":1}}}}""", next.Value.Data!.ToJsonString());
        Assert.Equal(("complete", (JsonObject?)null), complete!.Value);
        Assert.Null(end);
    }

    [Fact]
    public async Task Abort_Should_EndSubgraphSubscription_When_ClientClosesStream()
    {
        // arrange
        var request = _stack.EventStreamRequest(ProductChanged);
        var response = await _stack.Gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await _stack.Live.WaitUntilAsync(l => l.Active == 1, "the gateway's subscription");

        // act
        response.Dispose();
        request.Dispose();

        // assert
        await _stack.Live.WaitUntilAsync(l => l.Active == 0 && l.Unsubscribed == 1, "the gateway unsubscribing");
    }

    [Fact]
    public async Task Stream_Should_SendKeepAliveComments_When_NoEventArrives()
    {
        // arrange: Subscriptions:KeepAliveInterval is 0.2 s here
        using var request = _stack.EventStreamRequest(ProductChanged);
        using var response = await _stack.Gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var events = new EventStreamReader(await response.Content.ReadAsStreamAsync());
        await _stack.Live.WaitUntilAsync(l => l.Active == 1, "the gateway's subscription");

        // act: the event is read after the comments written while nothing happened
        await Task.Delay(TimeSpan.FromSeconds(1));
        _stack.Live.Publish(new ProductChange(1, "4"));
        var next = await events.NextAsync();

        // assert
        Assert.Equal("next", next!.Value.Event);
        Assert.True(events.Comments >= 2, $"{events.Comments} keep-alive comments");
    }

    [Fact]
    public async Task Post_Should_StreamOneNextAndComplete_When_OperationIsQuery()
    {
        // arrange
        using var request = _stack.EventStreamRequest("""{"query":"{ product(upc: \"1\") { name } }"}""");

        // act
        using var response = await _stack.Gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var events = new EventStreamReader(await response.Content.ReadAsStreamAsync());

        // assert
        Assert.Equal("""{"data":{"product":{"name":"Table"}}}""", (await events.NextAsync())!.Value.Data!.ToJsonString());
        Assert.Equal("complete", (await events.NextAsync())!.Value.Event);
    }

    [Fact]
    public async Task Post_Should_Answer400Json_When_SubscriptionDoesNotValidate()
    {
        // arrange
        using var request = _stack.EventStreamRequest("""{"query":"subscription { productChanged { nope } }"}""");

        // act
        using var response = await _stack.Gateway.Client.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        // assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("GRAPHQL_VALIDATION_FAILED", body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
        Assert.Equal(0, _stack.Live.Active);
    }

    [Fact]
    public async Task Post_Should_RefuseSubscription_When_AcceptIsJson()
    {
        // arrange
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent(ProductChanged, System.Text.Encoding.UTF8, "application/json") };

        // act
        using var response = await _stack.Gateway.Client.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        // assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("Subscriptions are not supported over this transport", body["errors"]![0]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Post_Should_Answer401_When_TokenIsForged()
    {
        // arrange
        using var request = _stack.EventStreamRequest(ProductChanged, _stack.Issuer.Token(key: Fixtures.TokenIssuer.NewKey()));

        // act
        using var response = await _stack.Gateway.Client.SendAsync(request);

        // assert
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, _stack.Live.Active);
    }

    [Fact]
    public async Task Stream_Should_EndWithUnauthenticatedError_When_TokenExpires()
    {
        // arrange: accepted (within the issuer's 30 s clock skew) and expiring in a second
        using var request = _stack.EventStreamRequest(ProductChanged, _stack.Issuer.Token(expires: DateTime.UtcNow.AddSeconds(1)));
        using var response = await _stack.Gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var events = new EventStreamReader(await response.Content.ReadAsStreamAsync());

        // act
        var last = await events.NextAsync();
        var complete = await events.NextAsync();

        // assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"errors":[{"message":"The token has expired.","extensions":{"code":"UNAUTHENTICATED"}}]}""", last!.Value.Data!.ToJsonString());
        Assert.Equal("complete", complete!.Value.Event);
        await _stack.Live.WaitUntilAsync(l => l.Active == 0, "the subscription ended with the token");
    }
}
