using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;

namespace Federation.Security;

/// <summary>
/// X-Forwarded-For from the proxies an operator listed in <c>ForwardedHeaders:TrustedProxies</c>, and from nobody else:
/// shared by the gateway (its front proxy) and accounts (the gateway, for login throttling per client address).
/// </summary>
public static class TrustedProxies
{
    public const string Setting = "ForwardedHeaders:TrustedProxies";

    /// <summary>Whether any proxy is listed, i.e. whether <see cref="UseTrustedForwardedFor"/> reads X-Forwarded-For at all.</summary>
    public static bool Configured(IConfiguration configuration) => Read(configuration).Length > 0;

    /// <summary>
    /// Replaces the connection's remote address with the X-Forwarded-For entry a listed proxy appended, walking the chain
    /// from the right while each hop is listed. Anyone can send the header, so trusting it by default would let a client
    /// pick a fresh address per request; with nothing listed the address that connected counts. Entries are addresses
    /// (<c>10.0.0.5</c>) or networks (<c>10.0.0.0/24</c>, for replicas whose addresses change).
    /// </summary>
    public static IApplicationBuilder UseTrustedForwardedFor(this IApplicationBuilder app, IConfiguration configuration)
    {
        var proxies = Read(configuration);
        if (proxies.Length == 0)
        {
            return app;
        }

        var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor, ForwardLimit = null };
        // The defaults trust loopback; only what the operator listed counts.
        options.KnownIPNetworks.Clear();
        options.KnownProxies.Clear();
        foreach (var proxy in proxies)
        {
            if (proxy.Contains('/'))
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(proxy));
            }
            else
            {
                options.KnownProxies.Add(IPAddress.Parse(proxy));
            }
        }

        return app.UseForwardedHeaders(options);
    }

    /// <summary>An IP address or a network in CIDR notation.</summary>
    public static bool IsValid(string entry) =>
        entry.Contains('/') ? System.Net.IPNetwork.TryParse(entry, out _) : IPAddress.TryParse(entry, out _);

    /// <summary>Throws at start-up on an entry that is neither an address nor a network, naming it.</summary>
    private static string[] Read(IConfiguration configuration)
    {
        var proxies = (configuration.GetSection(Setting).Get<string[]>() ?? []).Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p.Trim()).ToArray();
        foreach (var proxy in proxies)
        {
            if (!IsValid(proxy))
            {
                throw new InvalidOperationException($"{Setting} must list IP addresses or networks (10.0.0.0/24), not \"{proxy}\".");
            }
        }

        return proxies;
    }
}
