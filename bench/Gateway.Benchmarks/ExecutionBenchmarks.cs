using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Federation.Gateway;

namespace Gateway.Benchmarks;

/// <summary>
/// A request through the engine with a cached plan and the subgraphs' answers replayed from memory:
/// what is left is merging the entity responses and shaping the ~87 KB result, plus its serialization.
/// </summary>
public class ExecutionBenchmarks
{
    private readonly GatewayRequest _request = new(Operation.Named("gateways-benchmark").Query, null, null);
    private GatewayEngine _engine = null!;
    private ReplaySubgraphClient _replay = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        var operation = Operation.Named("gateways-benchmark");
        _replay = await ReplaySubgraphClient.RecordAsync(operation.Supergraph, _request);
        _engine = new GatewayEngine(operation.Supergraph, ReplaySubgraphClient.Options(), _replay);
        // Plans once, so every measured call hits the plan cache.
        var first = await _engine.ExecuteAsync(_request);
        if (first.Body.ContainsKey("errors"))
            throw new InvalidOperationException("The replayed request failed: " + first.Body.ToJsonString());
        ResponseBytes = JsonSerializer.SerializeToUtf8Bytes(first.Body).Length;
    }

    public static int ResponseBytes { get; private set; }

    [GlobalCleanup]
    public void Cleanup() => _engine.Dispose();

    [Benchmark]
    public async Task<GatewayResult> ExecuteWithCachedPlan() => await _engine.ExecuteAsync(_request);

    [Benchmark]
    public async Task<byte[]> ExecuteAndSerialize() => JsonSerializer.SerializeToUtf8Bytes((await _engine.ExecuteAsync(_request)).Body);
}
