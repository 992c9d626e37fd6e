using System.Diagnostics;
using Xunit.Abstractions;

namespace Federation.Gateway.Tests.Faults;

/// <summary>
/// Two catalog processes over one database behind a gateway that balances them (<c>Subgraphs:catalog:Urls</c>): one is
/// killed (SIGKILL) while clients read the product list and product page, and no read fails, because a read that meets
/// the dead replica is sent once more to the live one, and the gateway ejects the dead one and says so in its log.
/// </summary>
[Trait("Lane", "Faults")]
[Collection(FaultCollection.Name)]
public sealed class ReplicaFailoverTests(FaultStackFixture stack, ITestOutputHelper output)
{
    private const int Clients = 3;
    private static readonly TimeSpan LoadDuration = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan KillAfter = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Reads_Should_AllAnswerInFullAndTheReplicaBeEjected_When_OneOfTwoCatalogReplicasIsKilledUnderLoad()
    {
        // arrange
        await using var replica = await stack.StartReplicaAsync("catalog");
        var replicaUrl = new Uri(replica.BaseAddress, "graphql").ToString();
        var primaryUrl = new Uri(stack.Subgraphs["catalog"].BaseAddress, "graphql").ToString();
        await using var gateway = await stack.StartGatewayWithReplicasAsync("catalog", [primaryUrl, replicaUrl]);
        var reads = StorefrontOperations.All.Where(o => o.Name is "Products" or "Product").ToList();
        foreach (var read in reads)
        {
            // Warm both replicas (JIT, pools) through the gateway before the clock starts.
            for (var i = 0; i < 4; i++)
            {
                await stack.SendAsync(read, gateway);
            }
        }

        // act
        var clock = Stopwatch.StartNew();
        var kill = Task.Run(async () =>
        {
            await Task.Delay(KillAfter);
            replica.Kill();
        });
        var answers = (await Task.WhenAll(Enumerable.Range(0, Clients).Select(async client =>
        {
            var mine = new List<(string Operation, int Status, string? Errors, TimeSpan At)>();
            for (var sent = 0; clock.Elapsed < LoadDuration; sent++)
            {
                var operation = reads[(client + sent) % reads.Count];
                var (status, body, _) = await stack.SendAsync(operation, gateway);
                mine.Add((operation.Name, status, body["errors"]?.ToJsonString(), clock.Elapsed));
            }

            return mine;
        }))).SelectMany(a => a).ToList();
        await kill;

        // assert
        var failed = answers.Where(a => a.Status != 200 || a.Errors is not null).ToList();
        var ejection = gateway.Process.Output.Select(l => l.Text).FirstOrDefault(t => t.Contains($"replica {replicaUrl} ejected", StringComparison.Ordinal));
        output.WriteLine($"{answers.Count} reads from {Clients} clients in {LoadDuration.TotalSeconds:0} s, {answers.Count(a => a.At > KillAfter)} after the kill at {KillAfter.TotalSeconds:0} s; {failed.Count} failed");
        output.WriteLine($"gateway log: {ejection ?? "(no ejection logged)"}");
        foreach (var failure in failed.Take(5))
        {
            output.WriteLine($"  {failure.Operation} at {failure.At.TotalMilliseconds:0} ms: {failure.Status} {failure.Errors}");
        }

        Assert.Empty(failed);
        Assert.Contains(answers, a => a.At > KillAfter + TimeSpan.FromSeconds(1));
        Assert.NotNull(ejection);
    }
}
