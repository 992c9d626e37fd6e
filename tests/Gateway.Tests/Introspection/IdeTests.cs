using System.Text.Json.Nodes;
using Federation.Gateway.Host;
using Federation.Gateway.Tests.Fixtures;
using Federation.Testing;

namespace Federation.Gateway.Tests.Introspection;

/// <summary>
/// GraphiQL (npm <c>graphiql</c>, served by tests/clients/ide.mjs) and Banana Cake Pop (served by the gateway) in
/// headless Chromium against the real host: each loads the schema by introspection and runs a query that reaches the
/// subgraphs. Screenshots land in test-output/ide/.
/// </summary>
public sealed class IdeTests : IAsyncLifetime
{
    private readonly GatewayFixture _fixture = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("gateway-ides-").FullName;
    private Microsoft.AspNetCore.Builder.WebApplication? _app;

    public async Task InitializeAsync()
    {
        var supergraph = Path.Combine(_directory, "supergraph.graphql");
        await File.WriteAllTextAsync(supergraph, _fixture.SupergraphSdl);
        _app = GatewayHost.Create(
            ["--supergraph", supergraph, "--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default", "Warning"],
            options => options.HandlerFactory = _fixture.Options().HandlerFactory);
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _fixture.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Ides_Should_LoadTheSchemaAndRunAQuery_When_OpenedInChromium()
    {
        // arrange
        const string query = "{ topProducts(first: 2) { upc name reviews { body } } }";
        var expected = await _fixture.ExecuteAsync(query);
        var name = expected["data"]!["topProducts"]![1]!["name"]!.GetValue<string>();

        // act
        var report = await ClientTools.RunAsync(
            "ide.mjs",
            ["--gateway", _app!.Address(), "--query", query, "--expect", $"\"name\": \"{name}\"", "--out", Path.Combine(RepositoryPaths.Root, "test-output", "ide")],
            TimeSpan.FromMinutes(8));

        // assert
        foreach (var ide in new[] { "graphiql", "bananaCakePop" })
        {
            var result = report[ide]!;
            Assert.True(result["error"] is null, $"{ide}: {result["error"]} (screenshot {result["screenshot"]})");
            Assert.Equal(200, result["introspectionStatus"]!.GetValue<int>());
            Assert.True(JsonNode.DeepEquals(expected, result["response"]), $"{ide} got {result["response"]?.ToJsonString()}");
            // A first visit: no reload under the user's hands and no request to any host but the gateway's.
            Assert.Equal(0, result["reloads"]!.GetValue<int>());
            Assert.Equal("""{"controller":null,"registrations":[]}""", result["serviceWorker"]!.ToJsonString());
            Assert.Equal("[]", result["outsideRequests"]!.ToJsonString());
        }

        // GraphiQL asks for what its page enables; Banana Cake Pop probes the server and asks for everything it finds.
        Assert.Equal("""{"specifiedByUrl":false,"directiveIsRepeatable":false,"inputValueDeprecation":true,"schemaDescription":true}""", report["graphiql"]!["features"]!.ToJsonString());
        Assert.Equal("""{"specifiedByUrl":true,"directiveIsRepeatable":true,"inputValueDeprecation":true,"schemaDescription":false}""", report["bananaCakePop"]!["features"]!.ToJsonString());
    }
}
