using Confluent.Kafka;

namespace KafkaProbe;

internal static class ConsumerRole
{
    /// <summary>
    /// Consumes with manual commits until <c>--max</c> messages were handled or every assigned partition
    /// reached its end; exit code 3 when <c>--timeout-ms</c> passes first.
    /// </summary>
    public static int Run(ProbeArguments arguments)
    {
        var max = arguments.Number("max", int.MaxValue);
        var deadline = DateTime.UtcNow.AddMilliseconds(arguments.Number("timeout-ms", 30_000));
        var assigned = new HashSet<TopicPartition>();
        var atEnd = new HashSet<TopicPartition>();
        var config = new ConsumerConfig
        {
            BootstrapServers = arguments.Text("bootstrap"),
            GroupId = arguments.Text("group"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            EnablePartitionEof = true,
            // librdkafka's mock waits session timeout minus 1 s before it rebalances a group whose
            // member left, so a short session keeps a resuming consumer from idling for seconds.
            SessionTimeoutMs = 2_000,
            HeartbeatIntervalMs = 300,
        };

        using var consumer = new ConsumerBuilder<string, string>(config)
            .SetPartitionsAssignedHandler((_, partitions) => assigned.UnionWith(partitions))
            .SetPartitionsRevokedHandler((_, partitions) => assigned.ExceptWith(partitions.Select(p => p.TopicPartition)))
            .Build();
        consumer.Subscribe(arguments.Text("topic"));

        var consumed = 0;
        while (consumed < max)
        {
            if (DateTime.UtcNow > deadline)
            {
                Console.WriteLine($"timeout after {consumed}");
                consumer.Close();
                return 3;
            }

            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is null)
            {
                continue;
            }

            if (result.IsPartitionEOF)
            {
                atEnd.Add(result.TopicPartition);
                if (assigned.Count > 0 && assigned.IsSubsetOf(atEnd))
                {
                    break;
                }

                continue;
            }

            atEnd.Remove(result.TopicPartition);
            Console.WriteLine($"consumed {result.Message.Value} {result.Partition.Value}:{result.Offset.Value}");
            // Commit after handling, synchronously: a crash before this line means redelivery, never loss.
            consumer.Commit(result);
            consumed++;
        }

        Console.WriteLine($"done {consumed}");
        consumer.Close();
        return 0;
    }
}
