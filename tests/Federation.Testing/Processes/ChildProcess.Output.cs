namespace Federation.Testing.Processes;

public sealed partial class ChildProcess
{
    private readonly Lock gate = new();
    private readonly List<OutputLine> lines = [];
    private readonly List<LineWaiter> waiters = [];
    private readonly int maxLinesKept;
    private bool exited;

    /// <summary>Every line kept so far, stdout and stderr interleaved in arrival order.</summary>
    public IReadOnlyList<OutputLine> Output
    {
        get
        {
            lock (gate)
            {
                return [.. lines];
            }
        }
    }

    public IReadOnlyList<string> StandardOutputLines => Output.Where(line => !line.IsError).Select(line => line.Text).ToList();

    public IReadOnlyList<string> StandardErrorLines => Output.Where(line => line.IsError).Select(line => line.Text).ToList();

    /// <summary>The last lines, for failure messages.</summary>
    public string OutputTail(int count = 40)
    {
        var output = Output;
        return $"--- last output of {this} ---\n" + string.Join('\n', output.Skip(Math.Max(0, output.Count - count)));
    }

    /// <summary>
    /// Returns the first line (already printed or still to come) that matches; throws when the child exits
    /// first or the timeout passes, with the child's last output in the message.
    /// </summary>
    public async Task<string> WaitForLineAsync(
        Func<OutputLine, bool> predicate,
        TimeSpan timeout,
        CancellationToken cancellationToken = default)
    {
        var waiter = new LineWaiter(predicate);
        lock (gate)
        {
            var match = lines.FirstOrDefault(predicate);
            if (match is not null)
            {
                return match.Text;
            }

            if (exited)
            {
                throw ExitedBeforeLine();
            }

            waiters.Add(waiter);
        }

        try
        {
            return await waiter.Completion.Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{this} printed no expected line within {timeout.TotalSeconds:0.#} s.\n{OutputTail()}");
        }
        finally
        {
            lock (gate)
            {
                waiters.Remove(waiter);
            }
        }
    }

    /// <summary>Waits for a line on stdout or stderr that contains <paramref name="text"/>.</summary>
    public Task<string> WaitForLineAsync(string text, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        WaitForLineAsync(line => line.Text.Contains(text, StringComparison.Ordinal), timeout, cancellationToken);

    private void OnLine(bool isError, string? text)
    {
        if (text is null)
        {
            return;
        }

        var line = new OutputLine(isError, text);
        List<LineWaiter> matched;
        lock (gate)
        {
            lines.Add(line);
            if (lines.Count > maxLinesKept * 2)
            {
                lines.RemoveRange(0, lines.Count - maxLinesKept * 2);
            }

            matched = waiters.Where(waiter => waiter.Predicate(line)).ToList();
            waiters.RemoveAll(matched.Contains);
        }

        foreach (var waiter in matched)
        {
            waiter.Completion.TrySetResult(text);
        }
    }

    private void OnExited()
    {
        List<LineWaiter> pending;
        lock (gate)
        {
            exited = true;
            pending = [.. waiters];
            waiters.Clear();
        }

        foreach (var waiter in pending)
        {
            waiter.Completion.TrySetException(ExitedBeforeLine());
        }
    }

    private InvalidOperationException ExitedBeforeLine() =>
        new($"{this} exited with code {(process.HasExited ? process.ExitCode : -1)} before printing the expected line.\n{OutputTail()}");

    private sealed record LineWaiter(Func<OutputLine, bool> Predicate)
    {
        public TaskCompletionSource<string> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
