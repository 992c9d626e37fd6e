using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Federation.Gateway.Host;
using Federation.Gateway.Tests.Fixtures;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Federation.Gateway.Tests.Host;

/// <summary>One fixture subgraph behind real Kestrel, reached through the pooled HTTP transport and a configured URL.</summary>
public sealed class SubgraphUrlOverrideTests : IAsyncLifetime
{
    private readonly GatewayFixture _fixture = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("gateway-tests-").FullName;
    private WebApplication? _accounts;
    private WebApplication? _gateway;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var accounts = WebApplicationAddress.LoopbackBuilder();
        _accounts = accounts.Build();
        _accounts.MapPost("/graphql", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var answer = await _fixture.Subgraphs["accounts"].HandleAsync(await reader.ReadToEndAsync(), context.RequestAborted);
            return Results.Text(answer, "application/json");
        });
        await _accounts.StartAsync();

        var supergraph = Path.Combine(_directory, "supergraph.graphql");
        await File.WriteAllTextAsync(supergraph, _fixture.SupergraphSdl);
        var inProcess = _fixture.Options().HandlerFactory!;
        _gateway = GatewayHost.Create(
            [
                "--supergraph", supergraph,
                "--urls", "http://127.0.0.1:0",
                "--Subgraphs:accounts:Url", _accounts.Address() + "graphql",
                "--Logging:LogLevel:Default", "Warning",
            ],
            options => options.HandlerFactory = name => name == "accounts" ? new SocketsHttpHandler() : inProcess(name));
        await _gateway.StartAsync();
        _client = new HttpClient { BaseAddress = new Uri(_gateway.Address()) };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        foreach (var app in new[] { _gateway, _accounts })
        {
            if (app is not null)
            {
                await app.StopAsync();
                await app.DisposeAsync();
            }
        }

        _fixture.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Gateway_Should_CallConfiguredUrlOverHttp_When_SubgraphUrlIsOverridden()
    {
        // arrange
        _fixture.Subgraphs["accounts"].Queries.Clear();

        // act
        using var response = await _client.PostAsJsonAsync("/graphql", new { query = "{ me { name reviews { body } } }" });
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        // assert
        Assert.Equal("Ada Lovelace", json["data"]!["me"]!["name"]!.GetValue<string>());
        Assert.Equal(2, json["data"]!["me"]!["reviews"]!.AsArray().Count);
        Assert.Single(_fixture.Subgraphs["accounts"].Queries);
    }
}
