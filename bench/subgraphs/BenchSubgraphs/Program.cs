using BenchSubgraphs;
using Federation.Subgraph.Hosting;

// One process per subgraph: the kit hosts one schema per process, so `--subgraph <name>` picks which.
var (subgraph, hostArgs) = BenchSubgraph.Parse(args);
if (subgraph is null)
{
    await Console.Error.WriteLineAsync($"usage: BenchSubgraphs --subgraph <{string.Join('|', BenchSubgraph.Names)}> [--urls http://127.0.0.1:PORT]");
    return 2;
}

var app = subgraph.CreateBuilder(hostArgs).Build();
app.MapSubgraph();
return await app.RunSubgraphAsync();
