using System.Text;
using Confluent.Kafka;
using Federation.Kafka;
using Federation.Subgraph.Messaging.Events;

namespace Messaging.Tests;

/// <summary>Reads a whole topic from offset 0 without a consumer group, as the tests' independent witness.</summary>
internal static class TopicReader
{
    public sealed record Record(int Partition, long Offset, string Key, EventEnvelope Envelope, IReadOnlyDictionary<string, string> Headers);

    public static List<Record> ReadAll(string bootstrap, string topic, int expectedAtLeast, TimeSpan timeout)
    {
        KafkaNativeLibrary.EnsureLoaded();
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "unused",
            EnableAutoCommit = false,
            AllowAutoCreateTopics = true,
        }).Build();
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        var metadata = admin.GetMetadata(topic, TimeSpan.FromSeconds(10));
        var partitions = metadata.Topics.Single().Partitions.Select(p => new TopicPartitionOffset(topic, p.PartitionId, Offset.Beginning)).ToList();
        consumer.Assign(partitions);

        var records = new List<Record>();
        var deadline = DateTime.UtcNow + timeout;
        var quietSince = DateTime.UtcNow;
        while (DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (result is null)
            {
                // Done once enough arrived and nothing more came for a moment (duplicates may follow).
                if (records.Count >= expectedAtLeast && DateTime.UtcNow - quietSince > TimeSpan.FromMilliseconds(500))
                    break;
                continue;
            }

            quietSince = DateTime.UtcNow;
            var headers = (result.Message.Headers ?? []).GroupBy(h => h.Key).ToDictionary(g => g.Key, g => Encoding.UTF8.GetString(g.Last().GetValueBytes()));
            records.Add(new Record(result.Partition.Value, result.Offset.Value, result.Message.Key, EventEnvelope.Parse(result.Message.Value), headers));
        }

        consumer.Close();
        return records;
    }
}
