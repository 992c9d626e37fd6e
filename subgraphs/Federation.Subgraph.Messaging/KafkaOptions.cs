using Microsoft.Extensions.Configuration;

namespace Federation.Subgraph.Messaging;

/// <summary>Kafka connection settings shared by every subgraph, bound from the <c>Kafka</c> section.</summary>
public sealed record KafkaOptions(string BootstrapServers)
{
    public const string Section = "Kafka";

    /// <summary>Reads <c>Kafka:BootstrapServers</c>; fails with a clear message when it is missing.</summary>
    public static KafkaOptions FromConfiguration(IConfiguration configuration)
    {
        var servers = configuration[$"{Section}:{nameof(BootstrapServers)}"];
        return string.IsNullOrWhiteSpace(servers)
            ? throw new InvalidOperationException($"Configuration value {Section}:{nameof(BootstrapServers)} is required.")
            : new KafkaOptions(servers);
    }
}
