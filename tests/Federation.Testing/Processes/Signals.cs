namespace Federation.Testing.Processes;

/// <summary>SIGSTOP/SIGCONT for the fault tests: a stopped process keeps its sockets open and answers nothing.</summary>
public static class Signals
{
    private const int SigCont = 18;
    private const int SigStop = 19;

    public static void Stop(int pid) => Send(pid, SigStop);

    public static void Continue(int pid) => Send(pid, SigCont);

    private static void Send(int pid, int signal)
    {
        if (Kill(pid, signal) != 0 && System.Runtime.InteropServices.Marshal.GetLastPInvokeError() != 3)
        {
            throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
        }
    }

    [System.Runtime.InteropServices.DllImport("libc.so.6", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
