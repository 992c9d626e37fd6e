namespace Federation.Testing.Processes;

/// <summary>One line a child process wrote, in arrival order.</summary>
public sealed record OutputLine(bool IsError, string Text)
{
    public override string ToString() => IsError ? $"[stderr] {Text}" : Text;
}
