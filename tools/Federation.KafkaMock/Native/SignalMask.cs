using System.Runtime.InteropServices;

namespace Federation.KafkaMock.Native;

/// <summary>
/// Blocks every signal in the calling thread until disposed, so threads started meanwhile inherit a full mask.
/// librdkafka's mock cluster thread treats any poll() failure, EINTR included, as fatal: it ends and destroys the
/// cluster, closing every listener while the process lives on. The .NET runtime catches SIGCONT (and SIGCHLD, SIGTERM,
/// ...), and the kernel may run a process-directed signal's handler on any thread that does not block it, so a SIGCONT
/// after a SIGSTOP landing on the mock thread killed the broker. rd_kafka_new masks its own threads the same way.
/// </summary>
internal sealed class SignalMask : IDisposable
{
    private const int SigSetMask = 2;

    // glibc's sigset_t: 1024 bits.
    private readonly byte[] previous = new byte[128];

    private SignalMask()
    {
        var all = new byte[128];
        Check(sigfillset(all), "sigfillset");
        Check(pthread_sigmask(SigSetMask, all, previous), "pthread_sigmask");
    }

    public static SignalMask BlockAll() => new();

    public void Dispose() => Check(pthread_sigmask(SigSetMask, previous, null), "pthread_sigmask");

    private static void Check(int result, string call)
    {
        if (result != 0)
        {
            throw new InvalidOperationException($"{call} failed: {result}");
        }
    }

    [DllImport("libc.so.6")]
    private static extern int sigfillset(byte[] set);

    [DllImport("libc.so.6")]
    private static extern int pthread_sigmask(int how, byte[] set, byte[]? oldset);
}
