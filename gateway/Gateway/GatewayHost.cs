namespace Federation.Gateway.Host;

/// <summary>Builds the gateway web application; tests use it with their own subgraph transport.</summary>
public static class GatewayHost
{
    public static WebApplication Create(string[] args, Action<GatewayOptions>? configure = null)
    {
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

        configure?.Invoke(options);
        builder.Services.AddSingleton(new GatewayEngine(File.ReadAllText(supergraphPath), options));
        builder.Services.AddHostedService(sp => new SupergraphWatcher(
            supergraphPath,
            sp.GetRequiredService<GatewayEngine>(),
            sp.GetRequiredService<ILogger<SupergraphWatcher>>()));

        builder.Services.AddSingleton(new IdeLocation(BananaCakePop.Locate(builder.Configuration["BananaCakePop:Path"])));

        var app = builder.Build();
        app.MapBananaCakePop("/graphql");
        app.MapGraphQLEndpoint("/graphql");
        app.MapGet("/health/live", () => Results.Text("Healthy"));
        return app;
    }
}
