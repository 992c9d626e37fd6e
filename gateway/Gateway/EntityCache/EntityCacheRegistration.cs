using StackExchange.Redis;

namespace Federation.Gateway.Host.EntityCache;

public static class EntityCacheRegistration
{
    /// <summary>
    /// With <c>EntityCache:Enabled</c>: the Redis store on the process's multiplexer and the invalidation consumer. The
    /// switch is read here because it decides which services exist; the settings validator reports a bad value.
    /// </summary>
    public static void AddEntityCache(this WebApplicationBuilder builder)
    {
        if (GatewaySettings.Switch(builder.Configuration["EntityCache:Enabled"]) != true)
        {
            return;
        }

        if (builder.Configuration.GetConnectionString("Redis") is not { Length: > 0 })
        {
            throw new InvalidOperationException("EntityCache:Enabled needs ConnectionStrings:Redis: the entity cache lives in Redis.");
        }

        builder.Services.AddSingleton(sp => new RedisEntityCache(sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<ILogger<RedisEntityCache>>()));
        builder.Services.AddSingleton(sp => new EntityInvalidationConsumer(
            sp.GetRequiredService<RedisEntityCache>(), sp.GetRequiredService<ILogger<EntityInvalidationConsumer>>()));
        builder.Services.AddSingleton<Events.IDomainEventHandler>(sp => sp.GetRequiredService<EntityInvalidationConsumer>());

        // The worker that applies the queued invalidations.
        builder.Services.AddHostedService(sp => sp.GetRequiredService<EntityInvalidationConsumer>());
    }
}
