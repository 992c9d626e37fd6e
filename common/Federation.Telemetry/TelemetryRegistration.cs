using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Federation.Telemetry;

/// <summary>
/// OpenTelemetry for every Federation process, wired once: metrics are always collected and served on
/// <see cref="MetricsPath"/> in Prometheus text; traces and logs are exported over OTLP when the standard
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (protocol, headers and sampler from the other standard <c>OTEL_*</c> variables).
/// </summary>
public static class TelemetryRegistration
{
    public const string MetricsPath = "/metrics";

    /// <summary>Every <see cref="System.Diagnostics.ActivitySource"/> and <see cref="System.Diagnostics.Metrics.Meter"/> of ours starts with this.</summary>
    public const string SourcePrefix = "Federation.";

    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <param name="serviceName">The <c>service.name</c> resource attribute: <c>gateway</c> or the subgraph's name.</param>
    /// <param name="tracing">Adds the process's own instrumentation (Npgsql in subgraphs).</param>
    public static IHostApplicationBuilder AddFederationTelemetry(
        this IHostApplicationBuilder builder,
        string serviceName,
        Action<TracerProviderBuilder>? tracing = null,
        Action<MeterProviderBuilder>? metrics = null)
    {
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointKey]);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName, serviceNamespace: "federation", serviceInstanceId: $"{Environment.MachineName}:{Environment.ProcessId}"))
            .WithMetrics(meters =>
            {
                meters.AddMeter(SourcePrefix + "*")
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddPrometheusExporter();
                metrics?.Invoke(meters);
            });

        // Without a backend nothing would read the spans, so they are not created at all: tracing costs nothing when off.
        if (otlp)
        {
            telemetry
                .WithTracing(traces =>
                {
                    traces.AddSource(SourcePrefix + "*")
                        .AddAspNetCoreInstrumentation(options => options.Filter = context => !IsOperational(context.Request.Path))
                        .AddHttpClientInstrumentation()
                        // The process's IConnectionMultiplexer from DI, if it has one (the gateway's persisted documents,
                        // accounts' login throttle). Commands are read from profiling sessions by polling, which backs off
                        // to FlushInterval when idle: at the default 10 s a request's Redis span would trail it by seconds.
                        .AddRedisInstrumentation(redis => redis.FlushInterval = TimeSpan.FromSeconds(1));
                    tracing?.Invoke(traces);
                })
                .WithLogging(_ => { }, options =>
                {
                    options.IncludeFormattedMessage = true;
                    options.IncludeScopes = true;
                })
                .UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>Maps <see cref="MetricsPath"/>, open like the health endpoints: scrapers carry no caller token.</summary>
    public static IEndpointConventionBuilder MapFederationMetrics(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPrometheusScrapingEndpoint(MetricsPath).AllowAnonymous();

    /// <summary>Scrapes and probes: frequent, uninteresting, and they would drown the request traces.</summary>
    public static bool IsOperational(PathString path) =>
        path.StartsWithSegments(MetricsPath) || path.StartsWithSegments("/health");
}
