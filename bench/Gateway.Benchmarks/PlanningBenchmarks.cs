using BenchmarkDotNet.Attributes;
using Federation.Gateway;
using Federation.Gateway.Planning;

namespace Gateway.Benchmarks;

/// <summary>Planning with a cold plan cache: <see cref="GatewayEngine.Plan"/> parses and plans without caching.</summary>
public class PlanningBenchmarks
{
    private GatewayEngine _engine = null!;

    [ParamsSource(nameof(Operations))]
    public Operation Operation { get; set; } = null!;

    public static IEnumerable<Operation> Operations => Operation.All;

    [GlobalSetup]
    public void Setup() => _engine = new GatewayEngine(Operation.Supergraph);

    [GlobalCleanup]
    public void Cleanup() => _engine.Dispose();

    [Benchmark]
    public QueryPlan Plan() => _engine.Plan(Operation.Query);
}
