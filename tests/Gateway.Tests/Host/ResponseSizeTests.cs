using System.Text;
using System.Text.Json.Nodes;
using Federation.Gateway.Host;
using Federation.Gateway.Tests.Fixtures;
using Microsoft.AspNetCore.Builder;

namespace Federation.Gateway.Tests.Host;

/// <summary>Limits:MaxResponseBytes: an answer past the limit is replaced by one clear error, never a 500 or a cut body.</summary>
public sealed class ResponseSizeTests : IDisposable
{
    private const string Query = """{"query":"{ topProducts(first: 5) { upc name price reviews { body } } }"}""";

    private readonly GatewayFixture _fixture = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("gateway-response-size-").FullName;

    public void Dispose()
    {
        _fixture.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Post_Should_AnswerResponseTooLarge_When_AnswerIsLargerThanTheLimit()
    {
        // arrange
        await using var app = await StartAsync("--Limits:MaxResponseBytes", "200");
        using var http = new HttpClient { BaseAddress = new Uri(app.Address()) };

        // act
        using var response = await http.PostAsync("/graphql", new StringContent(Query, Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();

        // assert
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(
            """{"errors":[{"message":"The response would be larger than the limit of 200 bytes; ask for fewer fields or a smaller page.","extensions":{"code":"RESPONSE_TOO_LARGE"}}],"data":null}""",
            body);
    }

    [Fact]
    public async Task Post_Should_AnswerInFull_When_AnswerFitsTheLimit()
    {
        // arrange
        await using var app = await StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Address()) };
        var expected = await _fixture.ExecuteAsync("{ topProducts(first: 5) { upc name price reviews { body } } }");

        // act
        using var response = await http.PostAsync("/graphql", new StringContent(Query, Encoding.UTF8, "application/json"));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        // assert
        Assert.True(JsonNode.DeepEquals(expected, body), body.ToJsonString());
    }

    private async Task<WebApplication> StartAsync(params string[] settings)
    {
        var supergraph = Path.Combine(_directory, "supergraph.graphql");
        await File.WriteAllTextAsync(supergraph, _fixture.SupergraphSdl);
        var app = GatewayHost.Create(
            ["--supergraph", supergraph, "--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default", "Warning", .. settings],
            options => options.HandlerFactory = _fixture.Options().HandlerFactory);
        await app.StartAsync();
        return app;
    }
}
