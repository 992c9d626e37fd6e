using Federation.Gateway.Host;
using Federation.Gateway.Tests.Fixtures;
using Federation.Testing.Audits;
using Microsoft.AspNetCore.Builder;

namespace Federation.Gateway.Tests.Host;

/// <summary>The public GraphQL-over-HTTP audit (graphql-http's auditServer) against the real host on Kestrel.</summary>
public sealed class GraphQLHttpAuditTests : IAsyncLifetime
{
    private readonly GatewayFixture _fixture = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("gateway-tests-").FullName;
    private WebApplication? _app;

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
    public async Task Gateway_Should_PassEveryGraphQLHttpAuditCheck_When_Audited()
    {
        // act
        var checks = await GraphQLHttpAudit.RunAsync(_app!.Address() + "graphql");

        // assert
        Assert.Equal(61, checks.Count);
        Assert.Empty(checks.Where(c => c.Status != "ok").Select(c => c.ToString()));
    }
}
