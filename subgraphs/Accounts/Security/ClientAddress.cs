using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Accounts.Security;

/// <summary>The address login throttling counts per client.</summary>
public static class ClientAddress
{
    public const string TrustedProxiesSetting = "ForwardedHeaders:TrustedProxies";

    /// <summary>
    /// The connection's remote address, after <see cref="UseTrustedForwardedFor"/> replaced it with the
    /// X-Forwarded-For entry a trusted proxy appended. IPv6 counts per /64, the block one host usually holds.
    /// </summary>
    public static IPAddress Of(IServiceProvider services)
    {
        var address = services.GetRequiredService<IHttpContextAccessor>().HttpContext?.Connection.RemoteIpAddress ?? IPAddress.None;
        if (address.IsIPv4MappedToIPv6)
            return address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
            return address;
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes);
    }

    /// <summary>
    /// Honours X-Forwarded-For only from the proxies listed in <c>ForwardedHeaders:TrustedProxies</c>. Anyone can
    /// send the header, so trusting it by default would let an attacker pick a fresh address per attempt and
    /// never hit the per-address limit; a listed proxy must append the address it saw, not pass the client's on.
    /// With nothing listed every request counts against the address that connected.
    /// </summary>
    public static WebApplication UseTrustedForwardedFor(this WebApplication app)
    {
        var proxies = app.Configuration.GetSection(TrustedProxiesSetting).Get<string[]>() ?? [];
        if (proxies.Length == 0)
            return app;
        var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor, ForwardLimit = null };
        // The defaults trust loopback; only what the operator listed counts.
        options.KnownIPNetworks.Clear();
        options.KnownProxies.Clear();
        foreach (var proxy in proxies)
            options.KnownProxies.Add(IPAddress.Parse(proxy));
        app.UseForwardedHeaders(options);
        return app;
    }
}
