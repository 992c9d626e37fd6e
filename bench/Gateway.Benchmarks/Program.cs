using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Running;
using Gateway.Benchmarks;

if (args.FirstOrDefault() == "profile")
{
    await Profile.RunAsync(args);
    return;
}

// In-process by default: BenchmarkDotNet otherwise generates and builds a second project, which under
// the repository's TreatWarningsAsErrors and on two shared cores costs more than it measures.
string[] defaults = [.. args.Contains("--inProcess") ? [] : new[] { "--inProcess" },
    .. args.Contains("--artifacts") ? [] : new[] { "--artifacts", Path.Combine(Path.GetTempPath(), "gateway-benchmarks") }];
var config = DefaultConfig.Instance.AddDiagnoser(MemoryDiagnoser.Default);
BenchmarkSwitcher.FromAssembly(typeof(PlanningBenchmarks).Assembly).Run([.. defaults, .. args], config);
