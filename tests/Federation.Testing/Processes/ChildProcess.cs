using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Federation.Testing.Processes;

/// <summary>
/// A process started by a test: output captured line by line, waits with timeouts that report what the
/// process printed, and the whole process tree killed on dispose or when the test host exits.
/// </summary>
public sealed partial class ChildProcess : IDisposable, IAsyncDisposable
{
    private const int SigTerm = 15;
    private static readonly ConcurrentDictionary<ChildProcess, byte> Live = new();
    private static readonly string? SetsidPath = FindExecutable("setsid");

    private readonly Process process;
    private readonly Task exitedWithOutput;
    private int disposed;
    private int? exitCode;

    static ChildProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var child in Live.Keys)
            {
                child.Dispose();
            }
        };
    }

    private ChildProcess(string name, Process process, int maxLinesKept)
    {
        Name = name;
        this.process = process;
        this.maxLinesKept = maxLinesKept;
        process.OutputDataReceived += (_, e) => OnLine(false, e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(true, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Id = process.Id;
        Live.TryAdd(this, 0);
        StartWatchdog(Id, SetsidPath is not null);
        // WaitForExitAsync also waits for the redirected streams to reach end of file, so every line is in.
        exitedWithOutput = process.WaitForExitAsync().ContinueWith(_ => OnExited(), TaskScheduler.Default);
    }

    public string Name { get; }

    public int Id { get; }

    public bool HasExited => exitCode is not null || process.HasExited;

    public int? ExitCode => exitCode ?? (process.HasExited ? process.ExitCode : null);

    /// <summary>An open pipe to the child's standard input; closing it is an end-of-file the child can watch for.</summary>
    public StreamWriter StandardInput => process.StandardInput;

    /// <summary>
    /// Starts <paramref name="fileName"/> in a new session (so the tree can be signalled as one group) with a
    /// watchdog that ends the group if the test host dies without running its exit handlers.
    /// </summary>
    public static ChildProcess Start(string name, string fileName, IEnumerable<string> arguments, ChildProcessOptions? options = null)
    {
        options ??= new ChildProcessOptions();
        var info = new ProcessStartInfo
        {
            FileName = SetsidPath ?? fileName,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = options.WorkingDirectory ?? Environment.CurrentDirectory,
        };
        if (SetsidPath is not null)
        {
            info.ArgumentList.Add(fileName);
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in options.Environment)
        {
            if (value is null)
            {
                info.Environment.Remove(key);
            }
            else
            {
                info.Environment[key] = value;
            }
        }

        try
        {
            return new ChildProcess(name, new Process { StartInfo = info }, options.MaxLinesKept);
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException($"Could not start {name} ({fileName}): {exception.Message}", exception);
        }
    }

    /// <summary>Waits for the child to exit on its own; on timeout it is killed and a TimeoutException names it.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        try
        {
            await exitedWithOutput.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            Kill();
            throw new TimeoutException($"{Name} (pid {Id}) did not exit within {timeout.TotalSeconds:0.#} s.\n{OutputTail()}");
        }

        return process.ExitCode;
    }

    /// <summary>Asks the child to stop with SIGTERM; kills the tree if it has not exited after <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (process.HasExited)
        {
            await exitedWithOutput.WaitAsync(grace).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            return;
        }

        _ = SendSignal(Id, SigTerm);
        await exitedWithOutput.WaitAsync(grace).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        Kill();
    }

    /// <summary>Closes standard input, the polite stop for children that watch it.</summary>
    public void CloseStandardInput()
    {
        try
        {
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The child already exited and the pipe is broken: the goal is reached.
        }
    }

    /// <summary>Kills the child and everything it started, and waits briefly for it to be gone.</summary>
    public void Kill()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.WaitForExit(5_000);
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        Kill();
        Live.TryRemove(this, out _);
        exitCode = process.HasExited ? process.ExitCode : -1;
        process.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    public override string ToString() => $"{Name} (pid {Id})";

    /// <summary>
    /// Starts a shell loop that ends the child's process group once the test host is gone. It is forked into
    /// its own session so it is neither a child the test platform kills with the host's tree nor reached by
    /// a terminal's Ctrl+C; it exits by itself within a second of the child exiting.
    /// </summary>
    private static void StartWatchdog(int childId, bool childLeadsGroup)
    {
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        var target = childLeadsGroup ? $"-{childId.ToString(invariant)}" : childId.ToString(invariant);
        // dash's kill takes no "--"; a negative pid still means the process group.
        const string Loop =
            "while kill -0 \"$1\" 2>/dev/null; do kill -0 \"$2\" 2>/dev/null || exit 0; sleep 1; done; "
            + "kill -TERM \"$3\" 2>/dev/null; sleep 2; kill -KILL \"$3\" 2>/dev/null; exit 0";
        var info = new ProcessStartInfo(SetsidPath ?? "/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (SetsidPath is not null)
        {
            info.ArgumentList.Add("--fork");
            info.ArgumentList.Add("/bin/sh");
        }

        foreach (var argument in new[] { "-c", Loop, "federation-watchdog", Environment.ProcessId.ToString(invariant), childId.ToString(invariant), target })
        {
            info.ArgumentList.Add(argument);
        }

        try
        {
            using var launcher = Process.Start(info);
            launcher?.StandardInput.Close();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Without a watchdog only a host that dies without running exit handlers leaks the child.
        }
    }

    private static string? FindExecutable(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/bin").Append("/usr/sbin").Append("/bin").Append("/sbin")
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);

    /// <summary>Finds a program on PATH (and the sbin folders, which root's PATH in CI may lack).</summary>
    public static string? Which(string name) => FindExecutable(name);

    [DllImport("libc.so.6", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
