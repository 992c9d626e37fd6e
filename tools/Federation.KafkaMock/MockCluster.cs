using System.Runtime.InteropServices;
using Federation.KafkaMock.Native;

namespace Federation.KafkaMock;

/// <summary>An in-process librdkafka mock cluster; it speaks the Kafka protocol on loopback ports.</summary>
internal sealed class MockCluster : IDisposable
{
    private readonly IntPtr client;
    private IntPtr cluster;

    private MockCluster(IntPtr client, IntPtr cluster, int brokerCount)
    {
        this.client = client;
        this.cluster = cluster;
        BrokerCount = brokerCount;
        Bootstraps = Marshal.PtrToStringUTF8(LibRdKafka.rd_kafka_mock_cluster_bootstraps(cluster))
            ?? throw new InvalidOperationException("The mock cluster reported no bootstrap servers.");
    }

    public int BrokerCount { get; }

    /// <summary>Comma-separated host:port list, broker 1 first.</summary>
    public string Bootstraps { get; }

    public static string LibraryVersion => Marshal.PtrToStringUTF8(LibRdKafka.rd_kafka_version_str()) ?? "unknown";

    public static MockCluster Start(int brokerCount)
    {
        var error = new byte[512];
        var conf = LibRdKafka.rd_kafka_conf_new();
        // The handle only hosts the cluster and never connects; level 4 hides its "no bootstrap.servers" notice.
        foreach (var (name, value) in new[] { ("client.id", "federation-kafka-mock"), ("log_level", "4") })
        {
            if (LibRdKafka.rd_kafka_conf_set(conf, name, value, error, (UIntPtr)error.Length) != LibRdKafka.ConfOk)
            {
                LibRdKafka.rd_kafka_conf_destroy(conf);
                throw new InvalidOperationException(LibRdKafka.ErrorText(error));
            }
        }

        // rd_kafka_new takes ownership of conf only when it succeeds.
        var client = LibRdKafka.rd_kafka_new(LibRdKafka.ProducerType, conf, error, (UIntPtr)error.Length);
        if (client == IntPtr.Zero)
        {
            LibRdKafka.rd_kafka_conf_destroy(conf);
            throw new InvalidOperationException($"rd_kafka_new failed: {LibRdKafka.ErrorText(error)}");
        }

        IntPtr cluster;
        using (SignalMask.BlockAll())
        {
            cluster = LibRdKafka.rd_kafka_mock_cluster_new(client, brokerCount);
        }

        if (cluster == IntPtr.Zero)
        {
            LibRdKafka.rd_kafka_destroy(client);
            throw new InvalidOperationException("rd_kafka_mock_cluster_new failed (could not bind a loopback port?).");
        }

        return new MockCluster(client, cluster, brokerCount);
    }

    public void CreateTopic(string name, int partitions)
    {
        var replicationFactor = Math.Min(3, BrokerCount);
        var error = LibRdKafka.rd_kafka_mock_topic_create(cluster, name, partitions, replicationFactor);
        if (error != 0)
        {
            throw new InvalidOperationException($"Creating topic {name} failed: {LibRdKafka.ErrorName(error)}");
        }
    }

    public void SetGroupInitialRebalanceDelay(int milliseconds) =>
        LibRdKafka.rd_kafka_mock_group_initial_rebalance_delay_ms(cluster, milliseconds);

    /// <summary>Changes the address the broker reports in metadata; it keeps listening where it was.</summary>
    public void Advertise(int brokerId, string host, int port) =>
        LibRdKafka.rd_kafka_mock_broker_set_host_port(cluster, brokerId, host, port);

    public void Dispose()
    {
        if (cluster == IntPtr.Zero)
        {
            return;
        }

        LibRdKafka.rd_kafka_mock_cluster_destroy(cluster);
        cluster = IntPtr.Zero;
        LibRdKafka.rd_kafka_destroy(client);
    }
}
