using Federation.Testing.Subgraphs;

namespace Reviews.Tests;

/// <summary>
/// SQL log lines reach the test asynchronously (the console logger's queue, then the pipe), so a capture
/// starts and is read only once the subgraph's output has been quiet for a moment: otherwise the previous
/// test's statements leak in, or this test's arrive after the assertion.
/// </summary>
internal static class QuietSqlCapture
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(10);

    public static async Task<SubgraphProcess.SqlCapture> CaptureSqlWhenQuietAsync(this SubgraphProcess subgraph)
    {
        await WaitForQuietAsync(subgraph);
        return subgraph.CaptureSql();
    }

    public static async Task<IReadOnlyList<string>> StatementsWhenQuietAsync(this SubgraphProcess.SqlCapture capture, SubgraphProcess subgraph)
    {
        await WaitForQuietAsync(subgraph);
        return capture.Statements;
    }

    private static async Task WaitForQuietAsync(SubgraphProcess subgraph)
    {
        var deadline = DateTime.UtcNow + MaxWait;
        var count = subgraph.Process.Output.Count;
        var quietSince = DateTime.UtcNow;
        while (DateTime.UtcNow - quietSince < Quiet && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            var now = subgraph.Process.Output.Count;
            if (now != count)
            {
                count = now;
                quietSince = DateTime.UtcNow;
            }
        }
    }
}
