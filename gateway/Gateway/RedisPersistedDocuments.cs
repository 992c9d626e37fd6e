using Federation.Gateway.Caching;
using StackExchange.Redis;

namespace Federation.Gateway.Host;

/// <summary>
/// Automatic persisted queries in Redis, so a hash registered through one gateway replica is served by every other.
/// Redis being down or slow is a miss (the client resends the text), never a failed request.
/// </summary>
public sealed partial class RedisPersistedDocuments(IConnectionMultiplexer redis, TimeSpan ttl, ILogger<RedisPersistedDocuments> logger)
    : IPersistedDocumentStore
{
    // The version names the value's format; a later format gets new keys instead of misreading these.
    private const string Prefix = "federation:gateway:apq:v1:";

    public async ValueTask<string?> GetAsync(string hash, CancellationToken cancellationToken)
    {
        try
        {
            var value = await redis.GetDatabase().StringGetAsync(Prefix + hash).WaitAsync(cancellationToken);
            return value.IsNull ? null : value.ToString();
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Unavailable(logger, "read", ex.Message);
            return null;
        }
    }

    public async ValueTask SetAsync(string hash, string document, CancellationToken cancellationToken)
    {
        try
        {
            await redis.GetDatabase().StringSetAsync(Prefix + hash, document, ttl).WaitAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Unavailable(logger, "write", ex.Message);
        }
    }

    /// <summary>Connects in the background: the gateway starts, and serves, while Redis is still down.</summary>
    public static IConnectionMultiplexer Connect(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;

        // Without a connection a command fails at once instead of queueing for the reconnect: down means miss, now.
        options.BacklogPolicy = BacklogPolicy.FailFast;

        // A persisted-query lookup sits in front of every hashed request: a slow Redis must cost little.
        options.AsyncTimeout = Math.Min(options.AsyncTimeout, 1000);
        options.ConnectTimeout = Math.Min(options.ConnectTimeout, 2000);
        return ConnectionMultiplexer.Connect(options);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis could not {Operation} a persisted query ({Reason}); answering from memory only.")]
    private static partial void Unavailable(ILogger logger, string operation, string reason);
}
