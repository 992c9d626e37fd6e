namespace Messaging.Tests;

/// <summary>Environment for a subgraph process in an event test: its own database, the test's Kafka cluster, a fresh consumer group.</summary>
internal static class ServiceSettings
{
    public static Dictionary<string, string?> For(string service, string database, string kafka, string group) => new()
    {
        [$"ConnectionStrings__{service}"] = database,
        ["Kafka__BootstrapServers"] = kafka,
        ["Messaging__GroupId"] = $"{service.ToLowerInvariant()}-{group}",
    };
}
