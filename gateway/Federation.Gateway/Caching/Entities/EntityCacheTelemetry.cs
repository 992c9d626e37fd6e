using System.Diagnostics.Metrics;
using Federation.Gateway.Pipeline;

namespace Federation.Gateway.Caching.Entities;

/// <summary>
/// The entity cache's instruments, on the gateway's meter name (<see cref="GatewayTelemetry.SourceName"/>) so the same
/// exporter registration collects them; names are listed in docs/architecture.md.
/// </summary>
public static class EntityCacheTelemetry
{
    private static readonly Meter Meter = new(GatewayTelemetry.SourceName);

    private static readonly Counter<long> Lookups = Meter.CreateCounter<long>(
        "federation.gateway.entity_cache.lookups", "{entity}", "Entity cache lookups, by subgraph, type and hit or miss.");

    private static readonly Counter<long> Stores = Meter.CreateCounter<long>(
        "federation.gateway.entity_cache.stores", "{entity}", "Entity answers written to the cache, by subgraph and type; outcome stale when an invalidation came first.");

    private static readonly Counter<long> Invalidations = Meter.CreateCounter<long>(
        "federation.gateway.entity_cache.invalidations", "{invalidation}", "Entities invalidated, by subgraph, type and source (event or admin).");

    private static readonly Histogram<double> InvalidationLag = Meter.CreateHistogram(
        "federation.gateway.entity_cache.invalidation.lag", "s", "Time from a domain event's occurredAt to its invalidation in the cache, by event type.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] });

    public static void CountLookup(string subgraph, string typeName, bool hit) =>
        Lookups.Add(1, new("subgraph.name", subgraph), new("entity.type", typeName), new("result", hit ? "hit" : "miss"));

    public static void CountStore(string subgraph, string typeName, bool stored) =>
        Stores.Add(1, new("subgraph.name", subgraph), new("entity.type", typeName), new("outcome", stored ? "stored" : "stale"));

    public static void CountInvalidation(string subgraph, string typeName, string source) =>
        Invalidations.Add(1, new("subgraph.name", subgraph), new("entity.type", typeName), new("source", source));

    public static void RecordLag(string eventType, TimeSpan lag) =>
        InvalidationLag.Record(Math.Max(0, lag.TotalSeconds), new KeyValuePair<string, object?>("event.type", eventType));
}
