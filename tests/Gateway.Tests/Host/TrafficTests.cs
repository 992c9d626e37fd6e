using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Federation.Gateway.Host;
using Federation.Gateway.Tests.Fixtures;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Federation.Gateway.Tests.Host;

/// <summary>The host's Traffic:* switches: sharing identical in-flight client requests and subgraph reads.</summary>
public sealed class TrafficTests : IDisposable
{
    private const string Query = """{"query":"{ topProducts(first: 2) { name inStock reviews { body } } }"}""";

    private readonly GatewayFixture _fixture = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("gateway-traffic-").FullName;
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);

    public void Dispose()
    {
        _fixture.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Post_Should_ShareOneExecution_When_IdenticalQueriesAreInFlightAndDeduplicationIsOn()
    {
        // arrange
        await using var gateway = await StartAsync("--Traffic:DeduplicateRequests", "true");

        // act
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => gateway.PostAsync(Query)));

        // assert
        Assert.All(answers, a => Assert.Equal(answers[0], a));
        Assert.Null(JsonNode.Parse(answers[0])!["errors"]);
        Assert.Equal(1, _calls["products"]);
        Assert.True(gateway.Shared.Shared >= 7, $"shared {gateway.Shared.Shared}");
    }

    [Fact]
    public async Task Post_Should_ExecuteEveryRequest_When_DeduplicationIsOff()
    {
        // arrange
        await using var gateway = await StartAsync();

        // act
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => gateway.PostAsync(Query)));

        // assert
        Assert.Equal(8, _calls["products"]);
        Assert.Equal(0, gateway.Shared.Shared);
    }

    [Fact]
    public async Task Post_Should_NeverShareMutations_When_DeduplicationIsOn()
    {
        // arrange
        await using var gateway = await StartAsync("--Traffic:DeduplicateRequests", "true");

        // act
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => gateway.PostAsync("""{"query":"mutation { restock(upc: \"1\") }"}""")));

        // assert
        Assert.Equal(4, _calls["inventory"]);
        Assert.Equal(0, gateway.Shared.Shared);
    }

    [Fact]
    public async Task Create_Should_FailWithTheKey_When_ASwitchIsNotABoolean()
    {
        // act
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync("--Traffic:BatchEntityFetches", "sometimes"));

        // assert
        Assert.Equal("Traffic:BatchEntityFetches must be true or false, not \"sometimes\".", error.Message);
    }

    private async Task<Gateway> StartAsync(params string[] settings)
    {
        var supergraph = Path.Combine(_directory, "supergraph.graphql");
        await File.WriteAllTextAsync(supergraph, _fixture.SupergraphSdl);
        var inner = _fixture.Options().HandlerFactory!;
        var app = GatewayHost.Create(
            ["--supergraph", supergraph, "--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default", "Warning", .. settings],
            options => options.HandlerFactory = name => new Slow(inner(name), name, _calls));
        await app.StartAsync();
        return new Gateway(app, new HttpClient { BaseAddress = new Uri(app.Address()) }, app.Services.GetRequiredService<SharedExecutions>());
    }

    private sealed record Gateway(WebApplication App, HttpClient Client, SharedExecutions Shared) : IAsyncDisposable
    {
        public async Task<string> PostAsync(string body)
        {
            using var response = await Client.PostAsync("/graphql", new StringContent(body, Encoding.UTF8, "application/json"));
            return await response.Content.ReadAsStringAsync();
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await App.StopAsync();
            await App.DisposeAsync();
        }
    }

    /// <summary>Counts requests per subgraph and answers slowly enough that concurrent requests overlap.</summary>
    private sealed class Slow(HttpMessageHandler inner, string name, ConcurrentDictionary<string, int> calls) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            calls.AddOrUpdate(name, 1, (_, n) => n + 1);
            await Task.Delay(300, cancellationToken);
            return await base.SendAsync(request, cancellationToken);
        }
    }
}
