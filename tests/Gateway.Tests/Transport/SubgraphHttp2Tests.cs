using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Federation.Gateway.Tests.Fixtures;
using Federation.Gateway.Transport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Federation.Gateway.Tests.Transport;

/// <summary>
/// <c>Traffic:Http2</c> over real sockets: a subgraph port that speaks only HTTP/2 in clear text (Kestrel <c>Protocols</c>
/// <c>Http2</c>) and one that speaks HTTP/1.1, each reporting the protocol and connection of every request it answers.
/// </summary>
public sealed class SubgraphHttp2Tests : IAsyncLifetime
{
    private static readonly JsonObject Request = new() { ["query"] = "{ __typename }" };
    private readonly ConcurrentQueue<(string Protocol, string Connection)> _seen = new();
    private WebApplication _http2Only = null!;
    private WebApplication _http1 = null!;
    private Uri _http2OnlyUrl = null!;
    private Uri _http1Url = null!;

    public async Task InitializeAsync()
    {
        var http2 = WebApplicationAddress.LoopbackBuilder();
        http2.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        (_http2Only, _http2OnlyUrl) = await StartAsync(http2);
        (_http1, _http1Url) = await StartAsync(WebApplicationAddress.LoopbackBuilder());
    }

    public async Task DisposeAsync()
    {
        await _http2Only.DisposeAsync();
        await _http1.DisposeAsync();
    }

    [Fact]
    public async Task Execute_Should_SpeakHttp2FromTheFirstByte_When_Http2OnlyOnPlainHttp()
    {
        // arrange
        using var client = new HttpSubgraphClient(timeout: TimeSpan.FromSeconds(30), http2Of: _ => SubgraphHttp2.Http2Only);

        // act
        var response = await client.ExecuteAsync("catalog", _http2OnlyUrl, Request, CancellationToken.None);

        // assert
        Assert.Equal("""{"data":{"__typename":"Query"}}""", response.ToJsonString());
        Assert.Equal("HTTP/2", Assert.Single(_seen).Protocol);
    }

    [Fact]
    public async Task ExecuteRead_Should_MultiplexConcurrentRequestsOnOneConnection_When_Http2Only()
    {
        // arrange
        using var client = new HttpSubgraphClient(timeout: TimeSpan.FromSeconds(30), http2Of: _ => SubgraphHttp2.Http2Only);

        // act
        await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => client.ExecuteReadAsync("catalog", _http2OnlyUrl, Request, null, CancellationToken.None)));

        // assert
        Assert.Equal(40, _seen.Count);
        Assert.Single(_seen.Select(s => s.Connection).Distinct());
    }

    [Fact]
    public async Task Execute_Should_StayOnHttp1_When_EnabledOnPlainHttp()
    {
        // arrange
        using var client = new HttpSubgraphClient(timeout: TimeSpan.FromSeconds(30));

        // act
        await client.ExecuteAsync("catalog", _http1Url, Request, CancellationToken.None);

        // assert
        Assert.Equal("HTTP/1.1", Assert.Single(_seen).Protocol);
    }

    [Fact]
    public async Task Execute_Should_FailWithoutAGraphQLAnswer_When_DisabledAgainstAnHttp2OnlyPort()
    {
        // arrange
        using var client = new HttpSubgraphClient(timeout: TimeSpan.FromSeconds(30), http2Of: name => name == "catalog" ? SubgraphHttp2.Disable : SubgraphHttp2.Http2Only);

        // act
        var error = await Assert.ThrowsAsync<SubgraphException>(() => client.ExecuteAsync("catalog", _http2OnlyUrl, Request, CancellationToken.None));

        // assert: Kestrel answers an HTTP/1.1 request on an HTTP/2-only port with a 400 of its own
        Assert.Equal("Subgraph \"catalog\" answered 400 Bad Request without a GraphQL response.", error.Message);
        Assert.Empty(_seen);
    }

    [Fact]
    public async Task Gateway_Should_SendThatSubgraphsFetchesOverHttp2_When_ItsHttp2IsHttp2Only()
    {
        // arrange
        using var fixture = new GatewayFixture();
        var options = fixture.Options();
        var inner = options.HandlerFactory!;
        options.HandlerFactory = name => name == "products" ? new SocketsHttpHandler() : inner(name);
        options.SubgraphUrls["products"] = _http2OnlyUrl.ToString();
        options.SubgraphHttp2["products"] = SubgraphHttp2.Http2Only;
        options.Http2 = SubgraphHttp2.Disable;
        using var engine = new GatewayEngine(fixture.SupergraphSdl, options);

        // act
        var result = await engine.ExecuteAsync(new GatewayRequest("""{ product(upc: "1") { name } }""", null, null));

        // assert
        Assert.Equal("""{"data":{"product":{"name":"Table"}}}""", result.Body.ToJsonString());
        Assert.Equal("HTTP/2", Assert.Single(_seen).Protocol);
    }

    /// <summary>Answers every POST /graphql with the product the engine test asks for, or the query's __typename.</summary>
    private async Task<(WebApplication App, Uri Url)> StartAsync(WebApplicationBuilder builder)
    {
        var app = builder.Build();
        app.MapPost("/graphql", async (HttpContext context) =>
        {
            _seen.Enqueue((context.Request.Protocol, context.Connection.Id));
            var query = (await JsonNode.ParseAsync(context.Request.Body))!["query"]!.GetValue<string>();
            var body = query.Contains("product", StringComparison.Ordinal) ? """{"data":{"product":{"name":"Table"}}}""" : """{"data":{"__typename":"Query"}}""";
            return Results.Text(body, "application/json");
        });
        await app.StartAsync();
        return (app, new Uri(app.Address() + "graphql"));
    }
}
