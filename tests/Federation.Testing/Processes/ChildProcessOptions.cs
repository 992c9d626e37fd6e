namespace Federation.Testing.Processes;

/// <summary>How a <see cref="ChildProcess"/> is started.</summary>
public sealed record ChildProcessOptions
{
    public string? WorkingDirectory { get; init; }

    /// <summary>Variables to set (or, with a null value, remove) on top of the test host's environment.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Lines kept per stream; older lines are dropped so chatty servers do not grow without bound.</summary>
    public int MaxLinesKept { get; init; } = 5_000;
}
