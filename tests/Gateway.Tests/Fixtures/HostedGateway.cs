using Federation.Gateway.Host;
using Microsoft.AspNetCore.Builder;

namespace Federation.Gateway.Tests.Fixtures;

/// <summary>
/// The real host on Kestrel (127.0.0.1, free port) over a private copy of the fixture supergraph, subgraphs answered by
/// the fixture's in-process transport unless the test passes its own handlers.
/// </summary>
public sealed class HostedGateway : IAsyncDisposable
{
    private readonly string _directory;

    private HostedGateway(string directory, WebApplication app)
    {
        _directory = directory;
        App = app;
        Client = new HttpClient { BaseAddress = new Uri(app.Address()) };
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public string SupergraphPath => Path.Combine(_directory, "supergraph.graphql");

    /// <param name="settings">Command-line keys after the supergraph, address and log level.</param>
    /// <param name="supergraphSdl">Another supergraph than the fixture's (one with more subgraphs).</param>
    public static async Task<HostedGateway> StartAsync(
        GatewayFixture fixture, IEnumerable<string> settings, Func<string, HttpMessageHandler>? handlerFactory = null, string? supergraphSdl = null)
    {
        var directory = Directory.CreateTempSubdirectory("gateway-host-").FullName;
        var supergraph = Path.Combine(directory, "supergraph.graphql");
        await File.WriteAllTextAsync(supergraph, supergraphSdl ?? fixture.SupergraphSdl);
        var handlers = handlerFactory ?? fixture.Options().HandlerFactory;
        WebApplication? app = null;
        try
        {
            app = GatewayHost.Create(
                ["--supergraph", supergraph, "--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default", "Warning", .. settings],
                options => options.HandlerFactory = handlers);
            await app.StartAsync();
            return new HostedGateway(directory, app);
        }
        catch
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }

            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
