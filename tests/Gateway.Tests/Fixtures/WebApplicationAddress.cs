using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Federation.Gateway.Tests.Fixtures;

public static class WebApplicationAddress
{
    /// <summary>A builder for a stand-in server on a loopback port the kernel picks (port 0), logging warnings only.</summary>
    public static WebApplicationBuilder LoopbackBuilder() =>
        WebApplication.CreateBuilder(["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default", "Warning"]);

    /// <summary>The base address a started app listens on (it was given port 0), with a trailing slash.</summary>
    public static string Address(this WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/";
}
