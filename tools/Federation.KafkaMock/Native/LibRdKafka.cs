using System.Reflection;
using System.Runtime.InteropServices;
using Federation.Kafka;

namespace Federation.KafkaMock.Native;

/// <summary>The few librdkafka entry points the mock cluster host needs (rdkafka.h, rdkafka_mock.h).</summary>
internal static partial class LibRdKafka
{
    private const string Library = "librdkafka";
    public const int ProducerType = 0;
    public const int ConfOk = 0;

    static LibRdKafka()
    {
        // Same file Confluent.Kafka is pointed at: the default variant needs libsasl2.so.3, absent on Debian.
        NativeLibrary.SetDllImportResolver(typeof(LibRdKafka).Assembly, Resolve);
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        name == Library ? NativeLibrary.Load(KafkaNativeLibrary.Locate()) : IntPtr.Zero;

    [DllImport(Library)]
    public static extern IntPtr rd_kafka_conf_new();

    [DllImport(Library)]
    public static extern int rd_kafka_conf_set(
        IntPtr conf,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string name,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string value,
        byte[] errstr,
        UIntPtr errstrSize);

    [DllImport(Library)]
    public static extern void rd_kafka_conf_destroy(IntPtr conf);

    [DllImport(Library)]
    public static extern IntPtr rd_kafka_new(int type, IntPtr conf, byte[] errstr, UIntPtr errstrSize);

    [DllImport(Library)]
    public static extern void rd_kafka_destroy(IntPtr rk);

    [DllImport(Library)]
    public static extern IntPtr rd_kafka_version_str();

    [DllImport(Library)]
    public static extern IntPtr rd_kafka_err2str(int err);

    [DllImport(Library)]
    public static extern IntPtr rd_kafka_mock_cluster_new(IntPtr rk, int brokerCount);

    [DllImport(Library)]
    public static extern void rd_kafka_mock_cluster_destroy(IntPtr cluster);

    [DllImport(Library)]
    public static extern IntPtr rd_kafka_mock_cluster_bootstraps(IntPtr cluster);

    [DllImport(Library)]
    public static extern int rd_kafka_mock_topic_create(
        IntPtr cluster,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string topic,
        int partitionCount,
        int replicationFactor);

    [DllImport(Library)]
    public static extern void rd_kafka_mock_group_initial_rebalance_delay_ms(IntPtr cluster, int delayMs);

    [DllImport(Library)]
    public static extern void rd_kafka_mock_broker_set_host_port(
        IntPtr cluster,
        int brokerId,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string host,
        int port);

    public static string ErrorText(byte[] errstr)
    {
        var end = Array.IndexOf(errstr, (byte)0);
        return System.Text.Encoding.UTF8.GetString(errstr, 0, end < 0 ? errstr.Length : end);
    }

    public static string ErrorName(int err) => Marshal.PtrToStringUTF8(rd_kafka_err2str(err)) ?? $"error {err}";
}
