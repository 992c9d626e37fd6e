using Federation.Gateway;
using Federation.Gateway.Host;

var builder = WebApplication.CreateBuilder(args);
var supergraphPath = Path.GetFullPath(builder.Configuration["supergraph"] ?? "schema/supergraph.graphql");

var options = new GatewayOptions();
foreach (var subgraph in builder.Configuration.GetSection("Subgraphs").GetChildren())
{
    if (subgraph["Url"] is { Length: > 0 } url)
    {
        options.SubgraphUrls[subgraph.Key] = url;
    }
}

builder.Services.AddSingleton(new GatewayEngine(File.ReadAllText(supergraphPath), options));
builder.Services.AddHostedService(sp => new SupergraphWatcher(
    supergraphPath,
    sp.GetRequiredService<GatewayEngine>(),
    sp.GetRequiredService<ILogger<SupergraphWatcher>>()));

var app = builder.Build();
app.MapGraphQLEndpoint("/graphql");
app.MapGet("/health/live", () => Results.Text("Healthy"));
app.Run();

public partial class Program;
