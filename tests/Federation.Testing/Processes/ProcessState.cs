namespace Federation.Testing.Processes;

/// <summary>Whether a process id still names a running process, read from <c>/proc</c> (Linux).</summary>
public static class ProcessState
{
    /// <summary>
    /// True while <paramref name="pid"/> exists and is not a zombie (a zombie has exited and only waits to be reaped).
    /// A process that disappears while its <c>/proc</c> entry is read has exited: the read fails with ESRCH or ENOENT
    /// between the existence check and the read, which counts as not running rather than as an error.
    /// </summary>
    public static bool IsRunning(int pid)
    {
        try
        {
            // /proc/PID/stat is "pid (comm) state ...": the state follows the last ')' (comm may hold spaces and parentheses).
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].AsSpan(0, 1);
            return !state.SequenceEqual("Z");
        }
        catch (IOException)
        {
            return false;
        }
    }
}
