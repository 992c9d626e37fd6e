using System.Text.Json.Nodes;
using Federation.Gateway.Tests.Fixtures;
using Federation.Gateway.Transport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Federation.Gateway.Tests.Transport;

/// <summary>
/// A subgraph that answers with a redirect, over real HTTP: the gateway's request, with the headers it forwards, is not
/// sent on to where the redirect points.
/// </summary>
public sealed class SubgraphRedirectTests : IAsyncLifetime
{
    private static readonly JsonObject Request = new() { ["query"] = "{ __typename }" };
    private WebApplication _subgraph = null!;
    private Uri _url = null!;
    private int _redirectedCalls;

    public async Task InitializeAsync()
    {
        var builder = WebApplicationAddress.LoopbackBuilder();
        _subgraph = builder.Build();
        // 307 keeps the method and the body, so a client following it would POST the same request to /elsewhere.
        _subgraph.MapPost("/graphql", () => Results.Redirect("/elsewhere", permanent: false, preserveMethod: true));
        _subgraph.MapPost("/elsewhere", () =>
        {
            Interlocked.Increment(ref _redirectedCalls);
            return Results.Text("""{"data":{"__typename":"Query"}}""", "application/json");
        });
        await _subgraph.StartAsync();
        _url = new Uri(_subgraph.Address() + "graphql");
    }

    public async Task DisposeAsync() => await _subgraph.DisposeAsync();

    [Fact]
    public async Task Execute_Should_FailWithoutFollowing_When_SubgraphAnswersWithARedirect()
    {
        // arrange
        using var client = new HttpSubgraphClient(timeout: TimeSpan.FromSeconds(30));
        var headers = new Dictionary<string, string> { ["x-internal-token"] = "secret" };

        // act
        var error = await Assert.ThrowsAsync<SubgraphException>(() => client.ExecuteAsync("moved", _url, Request, headers, CancellationToken.None));

        // assert
        Assert.Equal("Subgraph \"moved\" answered 307 Temporary Redirect without a GraphQL response.", error.Message);
        Assert.Equal(0, Volatile.Read(ref _redirectedCalls));
    }

    [Fact]
    public async Task ExecuteRead_Should_NeverReachTheRedirectTarget_When_ItSendsTheReadAgain()
    {
        // arrange
        using var client = new HttpSubgraphClient(timeout: TimeSpan.FromSeconds(30));

        // act
        await Assert.ThrowsAsync<SubgraphException>(() => client.ExecuteReadAsync("moved", _url, Request, null, CancellationToken.None));

        // assert
        Assert.Equal(0, Volatile.Read(ref _redirectedCalls));
    }
}
