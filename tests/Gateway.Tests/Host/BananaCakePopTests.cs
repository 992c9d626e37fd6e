using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Federation.Gateway.Host;
using Federation.Gateway.Tests.Fixtures;
using Microsoft.AspNetCore.Builder;

namespace Federation.Gateway.Tests.Host;

/// <summary>Banana Cake Pop at GET /graphql for browsers, on the real host with an IDE folder of its own (or none).</summary>
public sealed class BananaCakePopTests : IAsyncLifetime
{
    private readonly GatewayFixture _fixture = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("gateway-ide-").FullName;
    private readonly List<WebApplication> _apps = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        _fixture.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Get_Should_RedirectBrowserToIdeFolder_When_AcceptIsHtml()
    {
        // arrange
        using var client = await StartAsync(InstalledIde());

        // act
        using var response = await client.SendAsync(Html("graphql"));

        // assert
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/graphql/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Get_Should_ServeIdeAndItsFiles_When_PackageIsInstalled()
    {
        // arrange
        using var client = await StartAsync(InstalledIde());

        // act
        using var page = await client.SendAsync(Html("graphql/"));
        using var script = await client.GetAsync("graphql/static/js/main.js");
        var config = JsonNode.Parse(await client.GetStringAsync("graphql/bcp-config.json"))!;

        // assert
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        Assert.Contains("<title>IDE under test</title>", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("console.log('ide');", await script.Content.ReadAsStringAsync());
        Assert.Equal(new Uri(client.BaseAddress!, "graphql").ToString(), config["endpoint"]!.GetValue<string>());
    }

    [Fact]
    public async Task Get_Should_Answer404PageExplainingInstall_When_PackageIsMissing()
    {
        // arrange
        using var client = await StartAsync(Directory.CreateDirectory(Path.Combine(_directory, "empty")).FullName);

        // act
        using var response = await client.SendAsync(Html("graphql/"));
        var body = await response.Content.ReadAsStringAsync();

        // assert
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("npm ci --prefix gateway/Gateway/ide", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_Should_ExecuteQuery_When_BrowserSendsQueryParameter()
    {
        // arrange
        using var client = await StartAsync(InstalledIde());
        using var request = new HttpRequestMessage(HttpMethod.Get, "graphql?query=%7B__typename%7D");
        // What Chromium sends for an address-bar navigation: a GraphQL media type only through */*.
        request.Headers.TryAddWithoutValidation("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8");

        // act
        using var response = await client.SendAsync(request);

        // assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"data":{"__typename":"Query"}}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Get_Should_ServeRetiringWorkerAndTelemetryOff_When_IdeAsksForItsServiceWorkerAndConfig()
    {
        // arrange: the package's own worker is on disk and must not be what the browser gets
        var ide = InstalledIde();
        File.WriteAllText(Path.Combine(ide, "service-worker.js"), "importScripts('workbox'); self.clients.claim();");
        using var client = await StartAsync(ide);

        // act
        using var worker = await client.GetAsync("graphql/service-worker.js");
        var body = await worker.Content.ReadAsStringAsync();
        var config = JsonNode.Parse(await client.GetStringAsync("graphql/bcp-config.json"))!;

        // assert: JavaScript (the IDE checks the type before registering), never claims the page, removes itself
        Assert.Equal(HttpStatusCode.OK, worker.StatusCode);
        Assert.Equal("text/javascript", worker.Content.Headers.ContentType!.MediaType);
        Assert.DoesNotContain("claim", body, StringComparison.Ordinal);
        Assert.Contains("registration.unregister()", body, StringComparison.Ordinal);
        Assert.True(config["disableTelemetry"]!.GetValue<bool>());
    }

    [Fact]
    public void Locate_Should_FindVendoredPackage_When_GatewayWasBuiltWithNpm()
    {
        // act
        var directory = BananaCakePop.Locate(null);

        // assert
        Assert.NotNull(directory);
        Assert.Contains("Banana Cake Pop", File.ReadAllText(Path.Combine(directory, "index.html")), StringComparison.Ordinal);
    }

    private string InstalledIde()
    {
        var ide = Path.Combine(_directory, "ide");
        Directory.CreateDirectory(Path.Combine(ide, "static", "js"));
        File.WriteAllText(Path.Combine(ide, "index.html"), "<!doctype html><html><head><title>IDE under test</title></head></html>");
        File.WriteAllText(Path.Combine(ide, "static", "js", "main.js"), "console.log('ide');");
        return ide;
    }

    private async Task<HttpClient> StartAsync(string ideDirectory)
    {
        var supergraph = Path.Combine(_directory, "supergraph.graphql");
        await File.WriteAllTextAsync(supergraph, _fixture.SupergraphSdl);
        var app = GatewayHost.Create(
            ["--supergraph", supergraph, "--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default", "Warning", "--BananaCakePop:Path", ideDirectory],
            options => options.HandlerFactory = _fixture.Options().HandlerFactory);
        _apps.Add(app);
        await app.StartAsync();
        return new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(app.Address()) };
    }

    private static HttpRequestMessage Html(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        return request;
    }
}
