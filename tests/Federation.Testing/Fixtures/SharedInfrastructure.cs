using Federation.Testing.Servers;

namespace Federation.Testing.Fixtures;

/// <summary>
/// One PostgreSQL, Redis and Kafka mock per test assembly, started on first use and stopped after the
/// assembly's last test, so every collection and class fixture shares them instead of paying the start-up again.
/// </summary>
public static class SharedInfrastructure
{
    private static readonly Lazy<Task<PostgresServer>> PostgresServer = new(() => Servers.PostgresServer.StartAsync());
    private static readonly Lazy<Task<RedisServer>> RedisServer = new(() => Servers.RedisServer.StartAsync());
    private static readonly Lazy<Task<KafkaMockCluster>> KafkaCluster = new(() => KafkaMockCluster.StartAsync());

    static SharedInfrastructure() => AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAll();

    public static Task<PostgresServer> PostgresAsync() => PostgresServer.Value;

    public static Task<RedisServer> RedisAsync() => RedisServer.Value;

    public static Task<KafkaMockCluster> KafkaAsync() => KafkaCluster.Value;

    /// <summary>
    /// Stops whatever was started. <see cref="FederationTestFramework"/> calls this when the assembly's tests
    /// are done; the exit handler is a fallback only, because the test platform may kill the host without
    /// running exit handlers (the ChildProcess watchdogs then stop the servers).
    /// </summary>
    public static async Task StopAllAsync()
    {
        var stops = new List<Task>();
        if (PostgresServer.IsValueCreated)
        {
            stops.Add(StopAsync(PostgresServer.Value));
        }

        if (RedisServer.IsValueCreated)
        {
            stops.Add(StopAsync(RedisServer.Value));
        }

        if (KafkaCluster.IsValueCreated)
        {
            stops.Add(StopAsync(KafkaCluster.Value));
        }

        await Task.WhenAll(stops);
    }

    private static void StopAll() => StopAllAsync().Wait(TimeSpan.FromSeconds(20));

    private static async Task StopAsync<T>(Task<T> started)
        where T : IAsyncDisposable
    {
        try
        {
            await (await started).DisposeAsync();
        }
        catch (Exception exception)
        {
            // A server that failed to start has nothing to stop.
            await Console.Error.WriteLineAsync($"Federation.Testing: stopping {typeof(T).Name} failed: {exception.Message}");
        }
    }
}
