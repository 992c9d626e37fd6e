namespace Federation.Gateway.Host;

/// <summary>Builds the gateway web application; tests use it with their own subgraph transport.</summary>
public static class GatewayHost
{
    public static WebApplication Create(string[] args, Action<GatewayOptions>? configure = null)
    {
        // appsettings.json ships beside the assembly (logging levels among others), whatever directory the gateway starts in.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        var supergraphPath = Path.GetFullPath(builder.Configuration["supergraph"] ?? "schema/supergraph.graphql");

        var options = new GatewayOptions();
        foreach (var subgraph in builder.Configuration.GetSection("Subgraphs").GetChildren())
        {
            if (subgraph["Url"] is { Length: > 0 } url)
            {
                options.SubgraphUrls[subgraph.Key] = url;
            }

            if (subgraph["Timeout"] is { Length: > 0 } timeout)
            {
                options.SubgraphTimeouts[subgraph.Key] = ParseDuration(timeout, $"Subgraphs:{subgraph.Key}:Timeout");
            }
        }

        if (builder.Configuration["CircuitBreaker:FailureThreshold"] is { Length: > 0 } threshold)
        {
            options.CircuitBreaker.FailureThreshold = int.Parse(threshold, System.Globalization.CultureInfo.InvariantCulture);
        }

        if (builder.Configuration["CircuitBreaker:BreakDuration"] is { Length: > 0 } breakDuration)
        {
            options.CircuitBreaker.BreakDuration = ParseDuration(breakDuration, "CircuitBreaker:BreakDuration");
        }

        if (builder.Configuration["Limits:MaxDepth"] is { Length: > 0 } maxDepth)
        {
            options.MaxDepth = int.Parse(maxDepth, System.Globalization.CultureInfo.InvariantCulture);
        }

        if (builder.Configuration["Limits:MaxAliases"] is { Length: > 0 } maxAliases)
        {
            options.MaxAliases = int.Parse(maxAliases, System.Globalization.CultureInfo.InvariantCulture);
        }

        // Traffic:DeduplicateRequests turns on both kinds of sharing; the specific keys override it one by one.
        if (Switch(builder.Configuration, "Traffic:DeduplicateRequests") is { } deduplicate)
        {
            options.DeduplicateSubgraphRequests = deduplicate;
            options.DeduplicateClientRequests = deduplicate;
        }

        if (Switch(builder.Configuration, "Traffic:DeduplicateSubgraphRequests") is { } subgraphRequests)
        {
            options.DeduplicateSubgraphRequests = subgraphRequests;
        }

        if (Switch(builder.Configuration, "Traffic:DeduplicateClientRequests") is { } clientRequests)
        {
            options.DeduplicateClientRequests = clientRequests;
        }

        if (Switch(builder.Configuration, "Traffic:BatchEntityFetches") is { } batchEntityFetches)
        {
            options.BatchEntityFetches = batchEntityFetches;
        }

        if (builder.Configuration["Traffic:MaxConnectionsPerSubgraph"] is { Length: > 0 } connections)
        {
            options.MaxConnectionsPerSubgraph = int.TryParse(connections, System.Globalization.CultureInfo.InvariantCulture, out var count) && count > 0
                ? count
                : throw new InvalidOperationException($"Traffic:MaxConnectionsPerSubgraph must be a positive number, not \"{connections}\".");
        }

        options.ForwardHeaders.AddRange(builder.Configuration.GetSection("ForwardHeaders").GetChildren()
            .Select(h => h.Value)
            .OfType<string>()
            .Where(h => h.Length > 0));

        configure?.Invoke(options);
        var supergraph = File.ReadAllText(supergraphPath);
        builder.Services.AddSingleton(sp => new GatewayEngine(supergraph, options, loggerFactory: sp.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddHostedService(sp => new SupergraphWatcher(
            supergraphPath,
            sp.GetRequiredService<GatewayEngine>(),
            sp.GetRequiredService<ILogger<SupergraphWatcher>>()));

        builder.Services.AddSingleton(new IdeLocation(BananaCakePop.Locate(builder.Configuration["BananaCakePop:Path"])));

        builder.Services.AddSingleton<SharedExecutions>();

        var app = builder.Build();
        app.MapBananaCakePop("/graphql");
        app.MapGraphQLEndpoint("/graphql");
        app.MapGet("/health/live", () => Results.Text("Healthy"));
        return app;
    }

    private static bool? Switch(IConfiguration configuration, string key) => configuration[key] switch
    {
        null or "" => null,
        var text when bool.TryParse(text, out var on) => on,
        var text => throw new InvalidOperationException($"{key} must be true or false, not \"{text}\"."),
    };

    /// <summary>A TimeSpan ("00:00:05") or plain seconds ("5", "0.25").</summary>
    internal static TimeSpan ParseDuration(string text, string key)
    {
        if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var span) && span > TimeSpan.Zero
            ? span
            : throw new InvalidOperationException($"{key} must be a positive duration (\"00:00:05\" or seconds), not \"{text}\".");
    }
}
