using Confluent.Kafka;

namespace KafkaProbe;

/// <summary>Prints <c>topic NAME PARTITIONS</c> for every topic the cluster has.</summary>
internal static class MetadataRole
{
    public static int Run(ProbeArguments arguments)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = arguments.Text("bootstrap") }).Build();
        foreach (var topic in admin.GetMetadata(TimeSpan.FromSeconds(10)).Topics.OrderBy(t => t.Topic, StringComparer.Ordinal))
        {
            Console.WriteLine($"topic {topic.Topic} {topic.Partitions.Count}");
        }

        return 0;
    }
}
