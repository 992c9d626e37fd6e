using Federation.GraphQLHttp;
using Microsoft.Extensions.Options;

namespace Federation.Gateway.Host.Subscriptions;

/// <summary>
/// Counts the WebSockets and event streams open at once against <c>Subscriptions:MaxConnections</c>: each holds a
/// socket, a subgraph stream per operation and a buffer, so their number is what bounds the gateway's memory.
/// </summary>
public sealed class SubscriptionConnections(IOptions<GatewaySettings> settings)
{
    private readonly int _max = settings.Value.Subscriptions.ParsedMaxConnections;
    private int _open;

    /// <summary>WebSockets and event streams open now.</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>
    /// Takes a place for the request's connection, given back by disposing it; when all are taken, answers 503
    /// <c>TOO_MANY_CONNECTIONS</c> before any upgrade or stream and returns null.
    /// </summary>
    public async Task<IDisposable?> TryOpenAsync(HttpContext context)
    {
        if (TryOpen(out var place))
        {
            return place;
        }

        await GraphQLHttpResponse.WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, GraphQLMediaTypes.Json,
            "The gateway holds as many subscription connections as it allows (Subscriptions:MaxConnections); try again later.", "TOO_MANY_CONNECTIONS");
        return null;
    }

    /// <summary>Takes a place for one connection; false when all are taken. A taken place is given back by disposing it.</summary>
    public bool TryOpen(out IDisposable place)
    {
        if (Interlocked.Increment(ref _open) > _max)
        {
            Interlocked.Decrement(ref _open);
            place = null!;
            return false;
        }

        place = new Place(this);
        return true;
    }

    private sealed class Place(SubscriptionConnections owner) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Decrement(ref owner._open);
            }
        }
    }
}
