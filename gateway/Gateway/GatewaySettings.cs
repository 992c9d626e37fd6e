using System.Globalization;
using Federation.Gateway.Transport;
using Federation.Security;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

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

    public AuthenticationSettings Authentication { get; } = new();

    public AuthorizationSettings Authorization { get; } = new();

    public InternalTokenSettings InternalTokens { get; } = new();

    public PersistedDocumentSettings PersistedDocuments { get; } = new();

    /// <summary>The gateway's own front proxies (<see cref="Federation.Security.TrustedProxies"/>).</summary>
    public ForwardedHeadersSettings ForwardedHeaders { get; } = new();

    /// <summary>Whether the incoming X-Forwarded-For chain is kept in front of the client address sent to subgraphs.</summary>
    public bool TrustsForwardedFor => ForwardedHeaders.TrustedProxies.Any(p => !string.IsNullOrWhiteSpace(p));

    public DemandControlSettings DemandControl { get; } = new();

    public EntityCache.EntityCacheSettings EntityCache { get; } = new();

    public EntityCache.KafkaSettings Kafka { get; } = new();

    public SubscriptionSettings Subscriptions { get; } = new();

    /// <summary>Copies the keys that are set over the engine's defaults; call only on validated settings.</summary>
    public void ApplyTo(GatewayOptions options)
    {
        foreach (var (name, subgraph) in Subgraphs)
        {
            if (subgraph.Url is { Length: > 0 } url)
            {
                options.SubgraphUrls[name] = url;
            }

            var replicas = subgraph.Urls.Where(u => !string.IsNullOrWhiteSpace(u)).Select(u => new Uri(u.Trim(), UriKind.Absolute)).ToList();
            if (replicas.Count > 0)
            {
                // The first replica also names the subgraph wherever one URL is needed (the in-flight key, logs).
                options.SubgraphUrls[name] = replicas[0].ToString();
                if (replicas.Count > 1)
                {
                    options.SubgraphReplicas[name] = replicas;
                }
            }

            if (subgraph.Timeout is { Length: > 0 } timeout && TryParseDuration(timeout, out var span))
            {
                options.SubgraphTimeouts[name] = span;
            }

            if (SubgraphHttp2Versions.Parse(subgraph.Http2) is { } http2)
            {
                options.SubgraphHttp2[name] = http2;
            }
        }

        options.Http2 = SubgraphHttp2Versions.Parse(Traffic.Http2) ?? options.Http2;

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
        options.RejectUnauthorized = Switch(Authorization.RejectUnauthorized) ?? options.RejectUnauthorized;
        options.PersistedDocumentMode = PersistedDocuments.ParsedMode ?? options.PersistedDocumentMode;
        var manifests = PersistedDocuments.Manifests.OfType<string>().Where(m => m.Length > 0).ToList();
        if (manifests.Count > 0)
        {
            options.TrustedDocuments = Caching.TrustedDocuments.Load(manifests);
        }

        options.DemandControl.Enabled = Switch(DemandControl.Enabled) ?? options.DemandControl.Enabled;
        if (DemandControlSettings.ParseMode(DemandControl.Mode) is { } mode)
        {
            options.DemandControl.Mode = mode;
        }

        options.DemandControl.MaxCost = DemandControl.MaxCost ?? options.DemandControl.MaxCost;
        options.DemandControl.ListSize = DemandControl.ListSize ?? options.DemandControl.ListSize;
        EntityCache.ApplyTo(options.EntityCache);
        options.Subscriptions.BufferSize = Subscriptions.BufferSize ?? options.Subscriptions.BufferSize;
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

/// <summary>Where the gateway finds the token issuer's keys and what it accepts (gateway/README.md, "Authentication").</summary>
public sealed class AuthenticationSettings
{
    /// <summary>The issuer's base URL; its discovery document is <c>{Authority}/.well-known/openid-configuration</c>.</summary>
    public string? Authority { get; set; }

    /// <summary>The discovery document's URL, when it is not below <see cref="Authority"/>.</summary>
    public string? MetadataAddress { get; set; }

    public string? Issuer { get; set; }

    public string? Audience { get; set; }

    /// <summary>Tolerated clock difference for <c>exp</c>/<c>nbf</c>; 30 s by default.</summary>
    public string? ClockSkew { get; set; }

    /// <summary>Shortest time between two JWKS fetches caused by unknown key ids; 10 s by default.</summary>
    public string? KeyRefreshInterval { get; set; }

    /// <summary>
    /// How often the issuer's keys are fetched again regardless of tokens, so a key the issuer stops publishing stops
    /// verifying within this time; 60 s by default (Apollo Router's JWKS poll).
    /// </summary>
    public string? KeyPollInterval { get; set; }

    internal TimeSpan ParsedKeyPollInterval =>
        KeyPollInterval is { Length: > 0 } poll && GatewaySettings.TryParseDuration(poll, out var interval) ? interval : TimeSpan.FromSeconds(60);

    /// <summary>On by default; turn off only for an issuer reached over a private network (compose, Kubernetes).</summary>
    public string? RequireHttpsMetadata { get; set; }

    public bool Configured => !string.IsNullOrEmpty(Authority) || !string.IsNullOrEmpty(MetadataAddress);

    public void ApplyTo(JwtBearerOptions jwt)
    {
        if (!string.IsNullOrEmpty(Authority))
        {
            jwt.Authority = Authority;
        }

        jwt.MetadataAddress = !string.IsNullOrEmpty(MetadataAddress) ? MetadataAddress
            : !string.IsNullOrEmpty(Authority) ? Authority.TrimEnd('/') + "/.well-known/openid-configuration"
            : string.Empty;
        jwt.RequireHttpsMetadata = GatewaySettings.Switch(RequireHttpsMetadata) ?? true;
        jwt.MapInboundClaims = false;
        // A client sends the same access token until it expires: one ECDSA/RSA verification per token, not per request.
        jwt.TokenHandlers.Clear();
        jwt.TokenHandlers.Add(new CachingTokenHandler { MapInboundClaims = false });
        jwt.RefreshOnIssuerKeyNotFound = true;
        jwt.RefreshInterval = KeyRefreshInterval is { Length: > 0 } refresh && GatewaySettings.TryParseDuration(refresh, out var interval)
            ? interval
            : TimeSpan.FromSeconds(10);
        jwt.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = Issuer is { Length: > 0 } ? Issuer : "federation-accounts",
            ValidAudience = Audience is { Length: > 0 } ? Audience : "federation",
            ValidAlgorithms = BearerAuthentication.Algorithms,
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            ValidateIssuerSigningKey = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = ClockSkew is { Length: > 0 } skew && GatewaySettings.TryParseDuration(skew, out var span) ? span : TimeSpan.FromSeconds(30),
            NameClaimType = "sub",
        };
    }
}

public sealed class AuthorizationSettings
{
    /// <summary>true: a request selecting anything the caller may not see is refused whole (403).</summary>
    public string? RejectUnauthorized { get; set; }

    /// <summary>true: callers with the <c>admin</c> scope may ask for the query plan (<c>GraphQL-Query-Plan: true</c>).</summary>
    public string? ExposeQueryPlans { get; set; }
}

/// <summary>Automatic persisted queries and trusted documents (gateway/README.md, "Persisted documents").</summary>
public sealed class PersistedDocumentSettings
{
    /// <summary><c>open</c> (default) or <c>allow-list</c>; text so that a bad value is reported with its key.</summary>
    public string? Mode { get; set; }

    /// <summary>Manifest files of trusted documents (graphql-codegen persisted documents or Apollo's manifest format).</summary>
    public List<string?> Manifests { get; } = [];

    /// <summary>How long a registered automatic persisted query stays in Redis; 24 hours by default.</summary>
    public string? Ttl { get; set; }

    /// <summary>
    /// A secret of at least 32 characters: in allow-list mode a request that sends it in the
    /// <c>X-Arbitrary-Documents-Key</c> header may run any document (operators' tools, end-to-end checks), as Hive
    /// Gateway's <c>allowArbitraryDocuments</c> allows. Unset (the default): no request may.
    /// </summary>
    public string? ArbitraryDocumentsKey { get; set; }

    internal Caching.PersistedDocumentMode? ParsedMode => Mode?.Trim().ToLowerInvariant() switch
    {
        "open" => Caching.PersistedDocumentMode.Open,
        "allow-list" or "allowlist" => Caching.PersistedDocumentMode.AllowList,
        _ => null,
    };

    internal TimeSpan ParsedTtl => Ttl is { Length: > 0 } ttl && GatewaySettings.TryParseDuration(ttl, out var span) ? span : TimeSpan.FromHours(24);
}

/// <summary>Subscriptions over graphql-transport-ws and GraphQL over SSE (gateway/README.md, "Subscriptions").</summary>
public sealed class SubscriptionSettings
{
    /// <summary>Events waiting for one subscriber before it is closed as too slow; 128 by default.</summary>
    public int? BufferSize { get; set; }

    /// <summary>Open WebSockets and event streams the gateway holds at once; 10,000 by default.</summary>
    public int? MaxConnections { get; set; }

    /// <summary>Operations running at once on one WebSocket; 100 by default.</summary>
    public int? MaxOperationsPerConnection { get; set; }

    /// <summary>Time a WebSocket has to send <c>connection_init</c> before it is closed with 4408; 3 s by default (graphql-ws).</summary>
    public string? ConnectionInitTimeout { get; set; }

    /// <summary>How often an idle connection is kept alive (WebSocket ping frame, SSE comment); 15 s by default.</summary>
    public string? KeepAliveInterval { get; set; }

    /// <summary>
    /// Longest a WebSocket message may wait for the client to read (its TCP window stays full); the socket is then closed
    /// with 1008 and the connection's operations end. 30 s by default.
    /// </summary>
    public string? SendTimeout { get; set; }

    internal int ParsedMaxConnections => MaxConnections ?? 10_000;

    internal int ParsedMaxOperationsPerConnection => MaxOperationsPerConnection ?? 100;

    internal TimeSpan ParsedConnectionInitTimeout => Duration(ConnectionInitTimeout, TimeSpan.FromSeconds(3));

    internal TimeSpan ParsedKeepAliveInterval => Duration(KeepAliveInterval, TimeSpan.FromSeconds(15));

    internal TimeSpan ParsedSendTimeout => Duration(SendTimeout, TimeSpan.FromSeconds(30));

    internal void Validate(List<string> failures)
    {
        foreach (var (key, value) in new[]
        {
            ("Subscriptions:BufferSize", BufferSize),
            ("Subscriptions:MaxConnections", MaxConnections),
            ("Subscriptions:MaxOperationsPerConnection", MaxOperationsPerConnection),
        })
        {
            if (value is <= 0)
            {
                failures.Add($"{key} must be a positive number, not {value}.");
            }
        }
    }

    private static TimeSpan Duration(string? text, TimeSpan fallback) =>
        text is { Length: > 0 } && GatewaySettings.TryParseDuration(text, out var span) ? span : fallback;
}

public sealed class ForwardedHeadersSettings
{
    /// <summary>Addresses or networks (CIDR) of the proxies in front of the gateway; empty: X-Forwarded-For is ignored.</summary>
    public List<string?> TrustedProxies { get; } = [];
}

/// <summary>Apollo Router's <c>demand_control</c> with the static estimate (gateway/README.md, "Demand control").</summary>
public sealed class DemandControlSettings
{
    public string? Enabled { get; set; }

    /// <summary><c>enforce</c> or <c>measure</c>.</summary>
    public string? Mode { get; set; }

    public double? MaxCost { get; set; }

    public int? ListSize { get; set; }

    internal static Federation.Gateway.DemandControl.DemandControlMode? ParseMode(string? text) => text?.ToLowerInvariant() switch
    {
        "enforce" => Federation.Gateway.DemandControl.DemandControlMode.Enforce,
        "measure" => Federation.Gateway.DemandControl.DemandControlMode.Measure,
        _ => null,
    };
}

public sealed class SubgraphSettings
{
    public string? Url { get; set; }

    /// <summary>Several replicas of the subgraph, instead of <see cref="Url"/>.</summary>
    public List<string> Urls { get; } = [];

    /// <summary>Kept as text: <see cref="GatewaySettings.TryParseDuration"/> reads it.</summary>
    public string? Timeout { get; set; }

    /// <summary><c>Enable</c>, <c>Disable</c> or <c>Http2Only</c> (<see cref="Federation.Gateway.Transport.SubgraphHttp2"/>); overrides <c>Traffic:Http2</c>.</summary>
    public string? Http2 { get; set; }
}

/// <summary>The gateway's signing keys for the tokens it sends subgraphs (docs/architecture.md, "Security").</summary>
public sealed class InternalTokenSettings
{
    /// <summary>Folder of EC P-256 private keys (PEM); the file whose name sorts last signs.</summary>
    public string? KeysPath { get; set; }

    /// <summary>How often the folder is read again besides file-system events; kept as text like other durations.</summary>
    public string? KeyReloadInterval { get; set; }
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

    /// <summary><c>Enable</c> (default), <c>Disable</c> or <c>Http2Only</c> for every subgraph without <c>Subgraphs:&lt;name&gt;:Http2</c>.</summary>
    public string? Http2 { get; set; }

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
            Url(failures, $"Subgraphs:{subgraph}:Url", settings.Url);
            for (var i = 0; i < settings.Urls.Count; i++)
            {
                Url(failures, $"Subgraphs:{subgraph}:Urls:{i}", settings.Urls[i]);
            }

            if (settings.Url is { Length: > 0 } && settings.Urls.Any(u => !string.IsNullOrWhiteSpace(u)))
            {
                failures.Add($"Subgraphs:{subgraph}: set Url (one instance) or Urls (replicas), not both.");
            }

            Duration(failures, $"Subgraphs:{subgraph}:Timeout", settings.Timeout);
            Http2(failures, $"Subgraphs:{subgraph}:Http2", settings.Http2);
        }

        Http2(failures, "Traffic:Http2", options.Traffic.Http2);

        foreach (var proxy in options.ForwardedHeaders.TrustedProxies)
        {
            if (proxy is { Length: > 0 } && !Federation.Security.TrustedProxies.IsValid(proxy.Trim()))
            {
                failures.Add($"{Federation.Security.TrustedProxies.Setting} must list IP addresses or networks (10.0.0.0/24), not \"{proxy}\".");
            }
        }

        Duration(failures, "InternalTokens:KeyReloadInterval", options.InternalTokens.KeyReloadInterval);
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
        Url(failures, "Authentication:Authority", options.Authentication.Authority);
        Url(failures, "Authentication:MetadataAddress", options.Authentication.MetadataAddress);
        Duration(failures, "Authentication:ClockSkew", options.Authentication.ClockSkew);
        Duration(failures, "Authentication:KeyRefreshInterval", options.Authentication.KeyRefreshInterval);
        Duration(failures, "Authentication:KeyPollInterval", options.Authentication.KeyPollInterval);
        Switch(failures, "Authentication:RequireHttpsMetadata", options.Authentication.RequireHttpsMetadata);
        Switch(failures, "Authorization:RejectUnauthorized", options.Authorization.RejectUnauthorized);
        Switch(failures, "Authorization:ExposeQueryPlans", options.Authorization.ExposeQueryPlans);
        Switch(failures, "DemandControl:Enabled", options.DemandControl.Enabled);
        if (options.DemandControl.Mode is { Length: > 0 } mode && DemandControlSettings.ParseMode(mode) is null)
        {
            failures.Add($"DemandControl:Mode must be enforce or measure, not \"{mode}\".");
        }

        if (options.DemandControl.MaxCost is { } maxCost && !(maxCost >= 0))
        {
            failures.Add($"DemandControl:MaxCost must be 0 or a positive number, not {maxCost}.");
        }

        if (options.DemandControl.ListSize is < 0 and var listSize)
        {
            failures.Add($"DemandControl:ListSize must be 0 or a positive number, not {listSize}.");
        }

        Duration(failures, "Traffic:SubgraphTimeout", options.Traffic.SubgraphTimeout);
        Duration(failures, "Traffic:RequestTimeout", options.Traffic.RequestTimeout);
        Duration(failures, "PersistedDocuments:Ttl", options.PersistedDocuments.Ttl);
        if (options.PersistedDocuments.Mode is { Length: > 0 } documentMode && options.PersistedDocuments.ParsedMode is null)
        {
            failures.Add($"PersistedDocuments:Mode must be open or allow-list, not \"{documentMode}\".");
        }

        if (options.PersistedDocuments.ArbitraryDocumentsKey is { Length: > 0 and < 32 })
        {
            failures.Add("PersistedDocuments:ArbitraryDocumentsKey must be at least 32 characters long.");
        }

        foreach (var manifest in options.PersistedDocuments.Manifests.OfType<string>().Where(m => m.Length > 0 && !File.Exists(m)))
        {
            failures.Add($"PersistedDocuments:Manifests names {manifest}, which does not exist.");
        }

        var manifests = options.PersistedDocuments.Manifests.OfType<string>().Where(m => m.Length > 0).ToList();
        if (manifests.Count > 0 && manifests.All(File.Exists))
        {
            try
            {
                Caching.TrustedDocuments.Load(manifests);
            }
            catch (InvalidDataException ex)
            {
                failures.Add($"PersistedDocuments:Manifests: {ex.Message}");
            }
        }

        if (options.PersistedDocuments.ParsedMode == Caching.PersistedDocumentMode.AllowList
            && !options.PersistedDocuments.Manifests.OfType<string>().Any(m => m.Length > 0))
        {
            failures.Add("PersistedDocuments:Mode allow-list needs at least one file in PersistedDocuments:Manifests.");
        }

        options.EntityCache.Validate(failures, options.Kafka.BootstrapServers);
        options.Kafka.Validate(failures);
        options.Subscriptions.Validate(failures);
        Duration(failures, "Subscriptions:ConnectionInitTimeout", options.Subscriptions.ConnectionInitTimeout);
        Duration(failures, "Subscriptions:SendTimeout", options.Subscriptions.SendTimeout);
        Duration(failures, "Subscriptions:KeepAliveInterval", options.Subscriptions.KeepAliveInterval);
        if (options.Traffic.MaxConnectionsPerSubgraph is <= 0 and var connections)
        {
            failures.Add($"Traffic:MaxConnectionsPerSubgraph must be a positive number, not {connections}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Url(List<string> failures, string key, string? url)
    {
        if (url is { Length: > 0 } && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)))
        {
            failures.Add($"{key} must be an absolute http or https URL, not \"{url}\".");
        }
    }

    private static void Switch(List<string> failures, string key, string? text)
    {
        if (text is { Length: > 0 } && GatewaySettings.Switch(text) is null)
        {
            failures.Add($"{key} must be true or false, not \"{text}\".");
        }
    }

    private static void Http2(List<string> failures, string key, string? text)
    {
        if (text is { Length: > 0 } && SubgraphHttp2Versions.Parse(text) is null)
        {
            failures.Add($"{key} must be Enable, Disable or Http2Only, not \"{text}\".");
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
