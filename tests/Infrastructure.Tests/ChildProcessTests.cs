using Federation.Testing.Processes;

namespace Infrastructure.Tests;

public sealed class ChildProcessTests
{
    [Fact]
    public async Task WaitForLineAsync_Should_ReturnTheLine_When_ItIsPrintedOnStderr()
    {
        // arrange
        await using var process = ChildProcess.Start("sh", "/bin/sh", ["-c", "echo starting; echo 'ready on 42' >&2; sleep 30"]);

        // act
        var line = await process.WaitForLineAsync("ready on", TimeSpan.FromSeconds(10));

        // assert
        Assert.Equal("ready on 42", line);
    }

    [Fact]
    public async Task WaitForLineAsync_Should_ThrowWithOutput_When_TheProcessExitsFirst()
    {
        // arrange
        await using var process = ChildProcess.Start("sh", "/bin/sh", ["-c", "echo 'fatal: no config'; exit 3"]);

        // act
        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => process.WaitForLineAsync("ready", TimeSpan.FromSeconds(10)));

        // assert
        Assert.Contains("exited with code 3", exception.Message, StringComparison.Ordinal);
        Assert.Contains("fatal: no config", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitForLineAsync_Should_ThrowTimeout_When_TheLineNeverComes()
    {
        // arrange
        await using var process = ChildProcess.Start("sh", "/bin/sh", ["-c", "echo waiting; sleep 30"]);
        // On a loaded machine the first line may take a while; the timeout under test starts after it.
        await process.WaitForLineAsync("waiting", TimeSpan.FromSeconds(20));

        // act
        var exception = await Assert.ThrowsAsync<TimeoutException>(() => process.WaitForLineAsync("ready", TimeSpan.FromMilliseconds(300)));

        // assert
        Assert.Contains("waiting", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispose_Should_KillGrandchildren_When_TheChildStartedThem()
    {
        // arrange
        var process = ChildProcess.Start("sh", "/bin/sh", ["-c", "sleep 300 & echo \"grandchild $!\"; wait"]);
        var line = await process.WaitForLineAsync("grandchild", TimeSpan.FromSeconds(10));
        var grandchild = int.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);

        // act
        await process.DisposeAsync();

        // assert
        Assert.True(process.HasExited);
        Assert.True(await GoneWithinAsync(grandchild, TimeSpan.FromSeconds(5)), $"grandchild {grandchild} survived");
    }

    // SIGKILL is delivered asynchronously: the grandchild may show as sleeping for a moment after Kill returns.
    private static async Task<bool> GoneWithinAsync(int pid, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (ProcessState.IsRunning(pid))
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(50);
        }

        return true;
    }
}
