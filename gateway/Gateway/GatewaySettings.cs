using System.Globalization;
using Microsoft.Extensions.Options;

namespace Federation.Gateway.Host;

/// <summary>
/// The gateway's configuration keys as gateway/README.md documents them, bound with the options pattern and validated at
/// start-up (<see cref="GatewaySettingsValidator"/>), then applied to the engine's <see cref="GatewayOptions"/>.
/// </summary>
public sealed class GatewaySettings
{
    public Dictionary<string, SubgraphSettings> Subgraphs { get; } = new(StringComparer.OrdinalIgnoreCase);

    public CircuitBreakerSettings CircuitBreaker { get; } = new();

    public LimitSettings Limits { get; } = new();

    public TrafficSettings Traffic { get; } = new();

    public List<string?> ForwardHeaders { get; } = [];

    /// <summary>Copies the keys that are set over the engine's defaults; call only on validated settings.</summary>
    public void ApplyTo(GatewayOptions options)
    {
        foreach (var (name, subgraph) in Subgraphs)
        {
            if (subgraph.Url is { Length: > 0 } url)
            {
                options.SubgraphUrls[name] = url;
            }

            if (subgraph.Timeout is { Length: > 0 } timeout && TryParseDuration(timeout, out var span))
            {
                options.SubgraphTimeouts[name] = span;
            }
        }

        if (Traffic.SubgraphTimeout is { Length: > 0 } subgraphTimeout && TryParseDuration(subgraphTimeout, out var subgraphSpan))
        {
            options.SubgraphTimeout = subgraphSpan;
        }

        if (Traffic.RequestTimeout is { Length: > 0 } requestTimeout && TryParseDuration(requestTimeout, out var requestSpan))
        {
            options.RequestTimeout = requestSpan;
        }

        options.CircuitBreaker.FailureThreshold = CircuitBreaker.FailureThreshold ?? options.CircuitBreaker.FailureThreshold;
        if (CircuitBreaker.BreakDuration is { Length: > 0 } breakDuration && TryParseDuration(breakDuration, out var duration))
        {
            options.CircuitBreaker.BreakDuration = duration;
        }

        options.MaxDepth = Limits.MaxDepth ?? options.MaxDepth;
        options.MaxAliases = Limits.MaxAliases ?? options.MaxAliases;
        options.MaxFields = Limits.MaxFields ?? options.MaxFields;
        options.MaxIntrospectionDepth = Limits.MaxIntrospectionDepth ?? options.MaxIntrospectionDepth;
        options.MaxResponseBytes = Limits.MaxResponseBytes ?? options.MaxResponseBytes;

        // Traffic:DeduplicateRequests turns on both kinds of sharing; the specific keys override it one by one.
        var deduplicate = Switch(Traffic.DeduplicateRequests);
        options.DeduplicateSubgraphRequests = Switch(Traffic.DeduplicateSubgraphRequests) ?? deduplicate ?? options.DeduplicateSubgraphRequests;
        options.DeduplicateClientRequests = Switch(Traffic.DeduplicateClientRequests) ?? deduplicate ?? options.DeduplicateClientRequests;
        options.BatchEntityFetches = Switch(Traffic.BatchEntityFetches) ?? options.BatchEntityFetches;
        options.MaxConnectionsPerSubgraph = Traffic.MaxConnectionsPerSubgraph ?? options.MaxConnectionsPerSubgraph;
        options.ForwardHeaders.AddRange(ForwardHeaders.OfType<string>().Where(h => h.Length > 0));
    }

    /// <summary>null when unset (or not a boolean, which validation reports).</summary>
    internal static bool? Switch(string? text) => bool.TryParse(text, out var on) ? on : null;

    /// <summary>A TimeSpan ("00:00:05") or plain seconds ("5", "0.25"); only positive durations.</summary>
    internal static bool TryParseDuration(string text, out TimeSpan duration)
    {
        // Seconds first: TimeSpan.Parse would read "2.5" as two days and five hours.
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            duration = seconds > 0 && seconds <= TimeSpan.MaxValue.TotalSeconds ? TimeSpan.FromSeconds(seconds) : TimeSpan.Zero;
        }
        else if (!TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration))
        {
            duration = TimeSpan.Zero;
        }

        return duration > TimeSpan.Zero;
    }
}

public sealed class SubgraphSettings
{
    public string? Url { get; set; }

    /// <summary>Kept as text: <see cref="GatewaySettings.TryParseDuration"/> reads it.</summary>
    public string? Timeout { get; set; }
}

public sealed class CircuitBreakerSettings
{
    public int? FailureThreshold { get; set; }

    public string? BreakDuration { get; set; }
}

public sealed class LimitSettings
{
    public int? MaxDepth { get; set; }

    public int? MaxAliases { get; set; }

    public int? MaxFields { get; set; }

    public int? MaxIntrospectionDepth { get; set; }

    public int? MaxResponseBytes { get; set; }
}

/// <summary>Switches are text so that a bad value is reported with its key (<see cref="GatewaySettings.Switch"/>).</summary>
public sealed class TrafficSettings
{
    public string? DeduplicateRequests { get; set; }

    public string? DeduplicateSubgraphRequests { get; set; }

    public string? DeduplicateClientRequests { get; set; }

    public string? BatchEntityFetches { get; set; }

    public int? MaxConnectionsPerSubgraph { get; set; }

    /// <summary>Default for subgraphs without <c>Subgraphs:&lt;name&gt;:Timeout</c>; text for <see cref="GatewaySettings.TryParseDuration"/>.</summary>
    public string? SubgraphTimeout { get; set; }

    public string? RequestTimeout { get; set; }
}

/// <summary>Every bad value is reported with its configuration key, and the host does not start.</summary>
public sealed class GatewaySettingsValidator : IValidateOptions<GatewaySettings>
{
    public ValidateOptionsResult Validate(string? name, GatewaySettings options)
    {
        var failures = new List<string>();
        foreach (var (subgraph, settings) in options.Subgraphs)
        {
            if (settings.Url is { Length: > 0 } url
                && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)))
            {
                failures.Add($"Subgraphs:{subgraph}:Url must be an absolute http or https URL, not \"{url}\".");
            }

            Duration(failures, $"Subgraphs:{subgraph}:Timeout", settings.Timeout);
        }

        NotNegative(failures, "CircuitBreaker:FailureThreshold", options.CircuitBreaker.FailureThreshold);
        Duration(failures, "CircuitBreaker:BreakDuration", options.CircuitBreaker.BreakDuration);
        NotNegative(failures, "Limits:MaxDepth", options.Limits.MaxDepth);
        NotNegative(failures, "Limits:MaxAliases", options.Limits.MaxAliases);
        NotNegative(failures, "Limits:MaxFields", options.Limits.MaxFields);
        NotNegative(failures, "Limits:MaxIntrospectionDepth", options.Limits.MaxIntrospectionDepth);
        NotNegative(failures, "Limits:MaxResponseBytes", options.Limits.MaxResponseBytes);
        Switch(failures, "Traffic:DeduplicateRequests", options.Traffic.DeduplicateRequests);
        Switch(failures, "Traffic:DeduplicateSubgraphRequests", options.Traffic.DeduplicateSubgraphRequests);
        Switch(failures, "Traffic:DeduplicateClientRequests", options.Traffic.DeduplicateClientRequests);
        Switch(failures, "Traffic:BatchEntityFetches", options.Traffic.BatchEntityFetches);
        Duration(failures, "Traffic:SubgraphTimeout", options.Traffic.SubgraphTimeout);
        Duration(failures, "Traffic:RequestTimeout", options.Traffic.RequestTimeout);
        if (options.Traffic.MaxConnectionsPerSubgraph is <= 0 and var connections)
        {
            failures.Add($"Traffic:MaxConnectionsPerSubgraph must be a positive number, not {connections}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Switch(List<string> failures, string key, string? text)
    {
        if (text is { Length: > 0 } && GatewaySettings.Switch(text) is null)
        {
            failures.Add($"{key} must be true or false, not \"{text}\".");
        }
    }

    private static void Duration(List<string> failures, string key, string? text)
    {
        if (text is { Length: > 0 } && !GatewaySettings.TryParseDuration(text, out _))
        {
            failures.Add($"{key} must be a positive duration (\"00:00:05\" or seconds), not \"{text}\".");
        }
    }

    private static void NotNegative(List<string> failures, string key, int? value)
    {
        if (value < 0)
        {
            failures.Add($"{key} must be 0 (off) or a positive number, not {value}.");
        }
    }
}
