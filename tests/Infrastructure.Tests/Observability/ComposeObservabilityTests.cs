using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Federation.Testing;
using YamlDotNet.RepresentationModel;

namespace Infrastructure.Tests.Observability;

/// <summary>compose.yaml wires every service to the observability backends and mounts only files that exist.</summary>
public sealed class ComposeObservabilityTests
{
    private static readonly YamlMappingNode Services = (YamlMappingNode)ObservabilityFiles.LoadYaml(Path.Combine(RepositoryPaths.Root, "compose.yaml")).Child("services")!;

    /// <summary>The processes we build and run: the gateway and one per entry of schema/subgraphs.json.</summary>
    private static readonly IReadOnlyList<string> Processes =
        ["gateway", .. JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "schema", "subgraphs.json")))!.AsArray().Select(subgraph => subgraph!["name"]!.GetValue<string>())];

    [Fact]
    public void Compose_Should_MountOnlyRepositoryPathsThatExist_When_Loaded()
    {
        // arrange
        var mounts = Services.Children.Values
            .SelectMany(service => (service.Child("volumes") as YamlSequenceNode)?.Children ?? [])
            .Select(volume => ((YamlScalarNode)volume).Value!.Split(':')[0])
            .Where(source => source.StartsWith("./", StringComparison.Ordinal))
            .ToList();

        // act
        var missing = mounts.Where(source => !File.Exists(Path.Combine(RepositoryPaths.Root, source)) && !Directory.Exists(Path.Combine(RepositoryPaths.Root, source))).ToList();

        // assert
        Assert.Empty(missing);
        Assert.Contains("./observability/prometheus", mounts);
        Assert.Contains("./observability/grafana/provisioning", mounts);
        Assert.Contains("./observability/grafana/dashboards", mounts);
    }

    [Fact]
    public void Compose_Should_SendEveryProcessTelemetryToTheAspireDashboard_When_Loaded()
    {
        // act
        var endpoints = Processes.ToDictionary(name => name, name => Services.Child(name)?.Child("environment")?.Scalar("OTEL_EXPORTER_OTLP_ENDPOINT"));

        // assert
        Assert.All(endpoints, endpoint => Assert.Equal("http://aspire-dashboard:18889", endpoint.Value));
        Assert.StartsWith("mcr.microsoft.com/dotnet/aspire-dashboard:", Services.Child("aspire-dashboard")!.Scalar("image"), StringComparison.Ordinal);
    }

    [Fact]
    public void ComposePrometheus_Should_ScrapeEveryReplicaOfEveryProcessByItsComposeName_When_Loaded()
    {
        // arrange
        var config = ObservabilityFiles.LoadYaml(Path.Combine(ObservabilityFiles.PrometheusFolder, "prometheus.yml"));

        // act: each job looks its services up in Docker's DNS, which answers one address per replica.
        var jobs = ((YamlSequenceNode)config.Child("scrape_configs")!).Children
            .Select(job => (Name: job.Scalar("job_name")!, Lookup: ((YamlSequenceNode)job.Child("dns_sd_configs")!).Children.Single()))
            .Select(job => (job.Name, Names: ((YamlSequenceNode)job.Lookup.Child("names")!).Children.Select(name => ((YamlScalarNode)name).Value!).ToList(), Type: job.Lookup.Scalar("type"), Port: job.Lookup.Scalar("port")))
            .ToList();
        var composeServices = Services.Children.Keys.Select(key => ((YamlScalarNode)key).Value!).ToList();

        // assert
        Assert.Equal(Processes.Order(StringComparer.Ordinal), jobs.Select(job => job.Name).Order(StringComparer.Ordinal));
        Assert.All(jobs, job => Assert.Equal(("A", "8080"), (job.Type, job.Port)));
        // A process that runs as several compose services (gateway, gateway-2) is one job over all of them.
        Assert.All(jobs, job => Assert.Equal(
            composeServices.Where(service => Regex.IsMatch(service, $"^{job.Name}(-[0-9]+)?$")).Order(StringComparer.Ordinal),
            job.Names.Order(StringComparer.Ordinal)));
    }
}
