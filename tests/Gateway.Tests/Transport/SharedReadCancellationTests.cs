using System.Text.Json.Nodes;
using Federation.Gateway.Tests.Fixtures;
using Federation.Gateway.Transport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Federation.Gateway.Tests.Transport;

/// <summary>
/// A deduplicated subgraph read over real HTTP, against a subgraph that holds every request until the test releases it
/// or the gateway hangs up: the shared round trip is cancelled when the last caller sharing it leaves, and not before.
/// </summary>
public sealed class SharedReadCancellationTests : IAsyncLifetime
{
    private readonly TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _aborted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication _subgraph = null!;
    private HttpSubgraphClient _client = null!;
    private Uri _url = null!;
    private int _calls;

    public async Task InitializeAsync()
    {
        var builder = WebApplicationAddress.LoopbackBuilder();
        _subgraph = builder.Build();
        _subgraph.MapPost("/graphql", async (HttpContext context) =>
        {
            // Kestrel notices a client hanging up only once the request body has been read, as any GraphQL server reads it.
            await context.Request.Body.CopyToAsync(Stream.Null);
            var call = Interlocked.Increment(ref _calls);
            if (call == 1)
            {
                _arrived.TrySetResult();
                using var hangUp = context.RequestAborted.Register(() => _aborted.TrySetResult());
                await Task.WhenAny(_release.Task, Task.Delay(Timeout.Infinite, context.RequestAborted));
            }

            return Results.Text($$$"""{"data":{"call":{{{call}}}}}""", "application/json");
        });
        await _subgraph.StartAsync();
        _url = new Uri(_subgraph.Address() + "graphql");
        _client = new HttpSubgraphClient(timeout: TimeSpan.FromMinutes(1), deduplicate: true);
    }

    public async Task DisposeAsync()
    {
        _release.TrySetResult();
        _client.Dispose();
        await _subgraph.DisposeAsync();
    }

    [Fact]
    public async Task SharedRead_Should_KeepGoingAndAnswerTheOtherCaller_When_OneOfTwoCallersLeaves()
    {
        // arrange
        using var leaving = new CancellationTokenSource();
        var (first, second) = await ShareOneReadAsync(leaving.Token, CancellationToken.None);

        // act
        await leaving.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        _release.TrySetResult();

        // assert: only the round trip the first caller started can carry call 1, and a cancelled one carries nothing
        Assert.Equal("""{"data":{"call":1}}""", (await second.WaitAsync(TimeSpan.FromSeconds(30))).ToJsonString());
        Assert.False(_aborted.Task.IsCompleted, "the subgraph saw the shared request cancelled although a caller still waited");
        Assert.Equal(1, Volatile.Read(ref _calls));
    }

    [Fact]
    public async Task SharedRead_Should_CancelTheSubgraphCall_When_EveryCallerSharingItLeaves()
    {
        // arrange
        using var firstLeaves = new CancellationTokenSource();
        using var secondLeaves = new CancellationTokenSource();
        var (first, second) = await ShareOneReadAsync(firstLeaves.Token, secondLeaves.Token);

        // act
        await firstLeaves.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        await secondLeaves.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);

        // assert
        await _aborted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var later = await _client.ExecuteReadAsync("s", _url, Request(), null, CancellationToken.None);
        Assert.Equal("""{"data":{"call":2}}""", later.ToJsonString());
    }

    /// <summary>Two callers of the same read: the second joins once the first one's request is held at the subgraph.</summary>
    private async Task<(Task<JsonObject> First, Task<JsonObject> Second)> ShareOneReadAsync(CancellationToken first, CancellationToken second)
    {
        var firstCall = _client.ExecuteReadAsync("s", _url, Request(), null, first);
        await _arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var secondCall = _client.ExecuteReadAsync("s", _url, Request(), null, second);
        Assert.Equal(1, _client.DeduplicatedRequests);
        return (firstCall, secondCall);
    }

    private static JsonObject Request() => new() { ["query"] = "{ call }" };
}
