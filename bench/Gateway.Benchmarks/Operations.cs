namespace Gateway.Benchmarks;

/// <summary>The operations bench/run.mjs sends, read from bench/operations, with the supergraph each runs on.</summary>
public sealed record Operation(string Name, string Query, string SupergraphFile)
{
    // Before All: static initializers run in declaration order.
    public static string RepoRoot { get; } = FindRepoRoot();

    public static readonly IReadOnlyList<Operation> All =
    [
        Bench("gateways-benchmark"),
        Federation("catalog-products"),
        Federation("product-page"),
        Federation("user-page"),
        Federation("place-order"),
    ];

    public static Operation Named(string name) => All.First(o => o.Name == name);

    public string Supergraph => File.ReadAllText(SupergraphFile);

    public override string ToString() => Name;

    private static Operation Bench(string name) =>
        new(name, File.ReadAllText(Path.Combine(RepoRoot, "bench", "operations", $"{name}.graphql")), Path.Combine(RepoRoot, "bench", "supergraph.graphql"));

    private static Operation Federation(string name) =>
        new(name, File.ReadAllText(Path.Combine(RepoRoot, "bench", "operations", $"{name}.graphql")), Path.Combine(RepoRoot, "schema", "supergraph.graphql"));

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Federation.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"No Federation.sln above {AppContext.BaseDirectory}; run from the repository's build output.");
    }
}
