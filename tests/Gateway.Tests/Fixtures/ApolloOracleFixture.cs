using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Federation.Gateway.Tests.Fixtures;

/// <summary>
/// The fixture subgraphs behind real HTTP, with two gateways on the same supergraph: ours (in process) and Apollo
/// Gateway (tools/apollo-gateway, Node).
/// </summary>
public sealed class ApolloOracleFixture : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gateway-oracle-").FullName;
    private WebApplication? _subgraphs;
    private ApolloGatewayProcess? _apollo;

    public GatewayFixture Fixture { get; } = new();

    public GatewayEngine Engine { get; private set; } = null!;

    public HttpClient Apollo { get; private set; } = null!;

    /// <summary>
    /// Hive Gateway on the same subgraphs, for the cases where Apollo Gateway is known to be wrong; started on first
    /// use and shared by the class's tests (xunit makes an instance of the class per test, and each start is seconds).
    /// </summary>
    internal Fuzzing.SecondOracle Hive { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplicationAddress.LoopbackBuilder();
        _subgraphs = builder.Build();
        _subgraphs.MapPost("/{name}/graphql", async (string name, HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var answer = await Fixture.Subgraphs[name].HandleAsync(await reader.ReadToEndAsync(), context.RequestAborted);
            return Results.Text(answer, "application/json");
        });
        await _subgraphs.StartAsync();
        var root = _subgraphs.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        var options = new GatewayOptions();
        foreach (var name in Fixture.Subgraphs.Keys)
        {
            options.SubgraphUrls[name] = $"{root}/{name}/graphql";
        }

        Engine = new GatewayEngine(Fixture.SupergraphSdl, options);

        var supergraph = Path.Combine(_directory, "supergraph.graphql");
        await File.WriteAllTextAsync(supergraph, Fixture.SupergraphSdl);
        _apollo = await ApolloGatewayProcess.StartAsync(supergraph, options.SubgraphUrls);
        Apollo = _apollo.Http;
        Hive = new Fuzzing.SecondOracle(Fixture.SupergraphSdl, options.SubgraphUrls);
    }

    public async Task DisposeAsync()
    {
        if (Hive is not null)
        {
            await Hive.DisposeAsync();
        }

        if (_apollo is not null)
        {
            await _apollo.DisposeAsync();
        }

        Engine?.Dispose();
        if (_subgraphs is not null)
        {
            await _subgraphs.StopAsync();
            await _subgraphs.DisposeAsync();
        }

        Fixture.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
