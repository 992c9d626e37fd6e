using Confluent.Kafka;

namespace KafkaProbe;

internal static class ProducerRole
{
    public static async Task<int> RunAsync(ProbeArguments arguments)
    {
        var topic = arguments.Text("topic");
        var count = arguments.Number("count", 10);
        var prefix = arguments.Text("prefix");
        var config = new ProducerConfig
        {
            BootstrapServers = arguments.Text("bootstrap"),
            EnableIdempotence = true,
            Acks = Acks.All,
            MessageTimeoutMs = 20_000,
        };

        using var producer = new ProducerBuilder<string, string>(config).Build();
        for (var i = 0; i < count; i++)
        {
            // Keys spread messages over partitions; per-key order is what the architecture relies on.
            var result = await producer.ProduceAsync(topic, new Message<string, string> { Key = $"key-{i % 5}", Value = $"{prefix}-{i}" });
            Console.WriteLine($"delivered {result.Message.Value} {result.Partition.Value}:{result.Offset.Value}");
        }

        producer.Flush(TimeSpan.FromSeconds(10));
        Console.WriteLine($"produced {count}");
        return 0;
    }
}
