using System.Net;
using System.Net.Sockets;
using Federation.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Accounts.Security;

/// <summary>The address login throttling counts per client.</summary>
public static class ClientAddress
{
    /// <summary>
    /// The connection's remote address, after <see cref="TrustedProxies.UseTrustedForwardedFor"/> replaced
    /// it with the X-Forwarded-For entry a trusted proxy (the gateway) appended. IPv6 counts per /64, the block one
    /// host usually holds.
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
}
