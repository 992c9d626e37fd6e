namespace Federation.Gateway.Transport;

/// <summary>
/// Whether requests to a subgraph use HTTP/2 (config <c>Traffic:Http2</c>, per subgraph <c>Subgraphs:&lt;name&gt;:Http2</c>);
/// the values of Apollo Router's <c>experimental_http2</c>.
/// </summary>
public enum SubgraphHttp2
{
    /// <summary>HTTP/2 when an <c>https</c> subgraph offers it (ALPN), HTTP/1.1 otherwise, plain <c>http</c> included.</summary>
    Enable,

    /// <summary>HTTP/1.1 only.</summary>
    Disable,

    /// <summary>
    /// HTTP/2 only: negotiated over TLS, and on plain <c>http</c> spoken from the first byte (h2c with prior knowledge),
    /// which the subgraph must accept on that port (Kestrel: an endpoint with <c>Protocols</c> <c>Http2</c>). Requests
    /// share a few multiplexed connections instead of one connection each.
    /// </summary>
    Http2Only,
}

public static class SubgraphHttp2Versions
{
    /// <summary>The version and policy an <see cref="HttpRequestMessage"/> carries for <paramref name="mode"/>.</summary>
    internal static (Version Version, HttpVersionPolicy Policy) Of(SubgraphHttp2 mode) => mode switch
    {
        SubgraphHttp2.Disable => (System.Net.HttpVersion.Version11, HttpVersionPolicy.RequestVersionOrLower),
        SubgraphHttp2.Http2Only => (System.Net.HttpVersion.Version20, HttpVersionPolicy.RequestVersionExact),
        _ => (System.Net.HttpVersion.Version20, HttpVersionPolicy.RequestVersionOrLower),
    };

    /// <summary>Reads a setting's text (any case); null when it names no mode.</summary>
    public static SubgraphHttp2? Parse(string? text) =>
        Enum.TryParse<SubgraphHttp2>(text?.Trim(), ignoreCase: true, out var mode) && Enum.IsDefined(mode) && !int.TryParse(text, out _) ? mode : null;
}
