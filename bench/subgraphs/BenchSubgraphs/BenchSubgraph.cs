using BenchSubgraphs.Accounts;
using BenchSubgraphs.Inventory;
using BenchSubgraphs.Products;
using BenchSubgraphs.Reviews;
using Federation.Subgraph.GraphQL;
using Federation.Subgraph.Hosting;

namespace BenchSubgraphs;

/// <summary>The four subgraphs of The Guild's graphql-gateways-benchmark, same schema and data as its Rust ones.</summary>
public sealed record BenchSubgraph(string Name, Action<SubgraphGraphQLBuilder> Configure)
{
    public static readonly IReadOnlyList<BenchSubgraph> All =
    [
        new("accounts", graphql => graphql.AddQueryFields<AccountQueries>()),
        new("inventory", graphql => graphql.AddType<InventoryProductType>()),
        new("products", graphql => graphql.AddQueryFields<ProductQueries>()),
        new("reviews", graphql => graphql.AddType<ReviewType>().AddType<ReviewsUserType>().AddType<ReviewsProductType>()),
    ];

    /// <summary>The subgraph's host, ready to build; the engine benchmarks host it in memory with a test server.</summary>
    public WebApplicationBuilder CreateBuilder(string[] hostArgs)
    {
        var builder = SubgraphApplication.CreateBuilder(hostArgs, Name);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddSubgraphGraphQL(graphql => Configure(graphql.FromAssemblyOf<BenchSubgraph>()));
        return builder;
    }

    public static BenchSubgraph Named(string name) => All.First(s => s.Name == name);

    public static IEnumerable<string> Names => All.Select(s => s.Name);

    public static (BenchSubgraph? Subgraph, string[] HostArgs) Parse(string[] args)
    {
        var at = Array.IndexOf(args, "--subgraph");
        if (at < 0 || at + 1 >= args.Length)
            return (null, args);
        var subgraph = All.FirstOrDefault(s => s.Name == args[at + 1]);
        return (subgraph, [.. args[..at], .. args[(at + 2)..]]);
    }
}
