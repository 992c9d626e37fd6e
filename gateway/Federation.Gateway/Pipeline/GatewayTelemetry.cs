using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Federation.Gateway.Transport;

namespace Federation.Gateway.Pipeline;

/// <summary>
/// The engine's one <see cref="ActivitySource"/> (a request activity with one child per pipeline stage and per subgraph
/// fetch) and its one <see cref="Meter"/>. Names follow OpenTelemetry's GraphQL conventions; the metric names are listed
/// in docs/architecture.md, which Prometheus rules and Grafana dashboards rely on.
/// </summary>
public static class GatewayTelemetry
{
    public const string SourceName = "Federation.Gateway";

    public const string FetchActivityName = "graphql.fetch";

    public static readonly ActivitySource Source = new(SourceName);

    private static readonly Meter Meter = new(SourceName);

    // Seconds from 1 ms to 10 s: the SDK's default boundaries are meant for milliseconds.
    private static readonly InstrumentAdvice<double> Seconds = new()
    {
        HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10],
    };

    private static readonly Counter<long> Requests = Meter.CreateCounter<long>(
        "federation.gateway.requests", "{request}", "GraphQL requests answered, by operation and HTTP status.");

    private static readonly Counter<long> Errors = Meter.CreateCounter<long>(
        "federation.gateway.errors", "{error}", "GraphQL errors in answers, by operation and extensions.code.");

    private static readonly Histogram<double> Duration = Meter.CreateHistogram(
        "federation.gateway.request.duration", "s", "Time from the request reaching the engine to its answer, by operation.", advice: Seconds);

    private static readonly Histogram<double> FetchDuration = Meter.CreateHistogram(
        "federation.gateway.subgraph.fetch.duration", "s", "Subgraph round trips (retry included), by subgraph and outcome.", advice: Seconds);

    private static readonly Histogram<double> EventLag = Meter.CreateHistogram(
        "federation.gateway.subscription.event.lag", "s",
        "Time from a live event's Kafka timestamp to its completed answer being handed to the subscriber's transport, by source (kafka:<topic>).",
        advice: Seconds);

    private static readonly Counter<long> FetchErrors = Meter.CreateCounter<long>(
        "federation.gateway.subgraph.fetch.errors", "{fetch}", "Subgraph fetches without a GraphQL answer, by subgraph and error type.");

    private static readonly Counter<long> CacheLookups = Meter.CreateCounter<long>(
        "federation.gateway.cache.lookups", "{lookup}", "Plan, validated-document and persisted-query cache lookups, by cache and hit or miss.");

    private static readonly Counter<long> CircuitOpened = Meter.CreateCounter<long>(
        "federation.gateway.circuit.opened", "{trip}", "Times a subgraph's circuit breaker opened.");

    // Every live client's breakers, for the circuit-state gauge; weak, so an engine that is dropped undisposed goes too.
    private static readonly ConditionalWeakTable<HttpSubgraphClient, object> Clients = [];

    static GatewayTelemetry()
    {
        Meter.CreateObservableGauge(
            "federation.gateway.circuit.state",
            ObserveCircuits,
            "{state}",
            "Circuit breaker state per subgraph: 0 closed, 1 open, 2 half-open.");
    }

    internal static void Track(HttpSubgraphClient client) => Clients.AddOrUpdate(client, client);

    internal static void Untrack(HttpSubgraphClient client) => Clients.Remove(client);

    internal static void CountCircuitOpened(string subgraph) => CircuitOpened.Add(1, new KeyValuePair<string, object?>("subgraph.name", subgraph));

    internal static void RecordEventLag(string source, TimeSpan lag) =>
        EventLag.Record(Math.Max(0, lag.TotalSeconds), new KeyValuePair<string, object?>("source", source));

    internal static void CountCacheLookup(string cache, bool hit)
    {
        if (CacheLookups.Enabled)
        {
            CacheLookups.Add(1, new("cache", cache), new("result", hit ? "hit" : "miss"));
        }
    }

    /// <summary>Names the request span as the conventions do (<c>query GetProduct</c>) and records the request's metrics.</summary>
    internal static void Complete(Activity? activity, RequestContext context, GatewayResult? result, TimeSpan elapsed)
    {
        var name = context.OperationName;
        var type = context.Operation is { } operation ? Planning.OperationKeyword.Of(operation.Operation) : null;
        if (activity is { IsAllDataRequested: true })
        {
            activity.DisplayName = type is null ? "graphql" : name is null ? type : $"{type} {name}";
            activity.SetTag("graphql.operation.name", name);
            activity.SetTag("graphql.operation.type", type);
            activity.SetTag("graphql.document.hash", context.KnownDocument?.Hash);
            if (result is not null)
            {
                activity.SetTag("http.response.status_code", result.StatusCode);
            }
        }

        var tags = new TagList { { "graphql.operation.name", name }, { "graphql.operation.type", type } };
        Duration.Record(elapsed.TotalSeconds, tags);
        tags.Add("http.response.status_code", result?.StatusCode ?? 499);
        Requests.Add(1, tags);
        if (result?.Errors is not JsonArray errors || !Errors.Enabled)
        {
            return;
        }

        foreach (var error in errors)
        {
            var code = error?["extensions"]?["code"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : "UNKNOWN";
            Errors.Add(1, new("graphql.operation.name", name), new("error.code", code));
            activity?.AddEvent(new ActivityEvent("graphql.error", tags: new ActivityTagsCollection { ["error.code"] = code }));
        }
    }

    /// <summary>Opens the span of one subgraph fetch; the HTTP client span (and the W3C <c>traceparent</c> it sends) nests in it.</summary>
    internal static Activity? StartFetch(string subgraph, bool read)
    {
        var activity = Source.StartActivity(FetchActivityName);
        if (activity is { IsAllDataRequested: true })
        {
            activity.DisplayName = $"fetch {subgraph}";
            activity.SetTag("subgraph.name", subgraph);
            activity.SetTag("graphql.fetch.read_only", read);
        }

        return activity;
    }

    internal static void FetchCompleted(Activity? activity, string subgraph, TimeSpan elapsed, Transport.SubgraphResponse? response, Exception? failure)
    {
        var outcome = failure is not null ? "failed" : response?.Errors is { Count: > 0 } ? "errors" : "ok";
        FetchDuration.Record(elapsed.TotalSeconds, new("subgraph.name", subgraph), new("outcome", outcome));
        if (failure is not null)
        {
            var type = FailureType(failure);
            FetchErrors.Add(1, new("subgraph.name", subgraph), new("error.type", type));
            activity?.SetTag("error.type", type);
            activity?.SetStatus(ActivityStatusCode.Error, failure.Message);
        }
        else if (outcome == "errors")
        {
            activity?.SetTag("graphql.fetch.errors", response!.Errors!.Count);
        }
    }

    /// <summary>What <see cref="HttpSubgraphClient"/> wraps in a <see cref="SubgraphException"/>, as a low-cardinality label.</summary>
    private static string FailureType(Exception failure) => failure.InnerException switch
    {
        OperationCanceledException => "timeout",
        HttpRequestException or IOException => "transport",
        null when failure is SubgraphException { Retryable: true } => "invalid_response",
        null when failure is SubgraphException => "circuit_open",
        _ => failure.GetType().Name,
    };

    private static IEnumerable<Measurement<int>> ObserveCircuits()
    {
        foreach (var (client, _) in Clients)
        {
            foreach (var (subgraph, state) in client.Circuits)
            {
                yield return new Measurement<int>((int)state, new KeyValuePair<string, object?>("subgraph.name", subgraph));
            }
        }
    }
}
