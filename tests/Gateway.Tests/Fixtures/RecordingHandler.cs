using System.Collections.Concurrent;
using System.Net.Http.Headers;

namespace Federation.Gateway.Tests.Fixtures;

/// <summary>Notes the headers of every request the gateway sends one subgraph, then passes it on.</summary>
public sealed class RecordingHandler(HttpMessageHandler inner, string subgraph, ConcurrentBag<(string Subgraph, HttpRequestHeaders Headers)> seen) : DelegatingHandler(inner)
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        seen.Add((subgraph, request.Headers));
        return base.SendAsync(request, cancellationToken);
    }
}
