using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Federation.Gateway.Authorization;
using Federation.Gateway.Host.Subscriptions;
using Federation.Gateway.Transport;
using Federation.GraphQLHttp;
using Microsoft.Extensions.Options;

namespace Federation.Gateway.Host;

/// <summary>
/// The gateway's GraphQL endpoint: the shared GraphQL-over-HTTP layer reads and refuses requests, the engine executes
/// them (shared between identical in-flight queries when configured), browsers get Banana Cake Pop.
/// </summary>
public static class GraphQLEndpoint
{
    public static void MapGraphQLEndpoint(this IEndpointRouteBuilder endpoints, string pattern) =>
        endpoints.Map(pattern, (HttpContext context, GatewayEngine engine, SharedExecutions shared, SubscriptionConnections connections, IOptions<GraphQLHttpOptions> options, IOptions<GatewaySettings> settings) =>
            HandleAsync(context, engine, shared, connections, options.Value, settings.Value, pattern));

    private static async Task HandleAsync(
        HttpContext context, GatewayEngine engine, SharedExecutions shared, SubscriptionConnections connections, GraphQLHttpOptions options, GatewaySettings settings, string pattern)
    {
        if (BananaCakePop.IsBrowserRequest(context))
        {
            await BananaCakePop.ServeAsync(context, pattern);
            return;
        }

        var (refused, caller) = await BearerAuthentication.AuthenticateAsync(context, settings.Authentication);
        if (refused)
        {
            return;
        }

        if (context.WebSockets.IsWebSocketRequest)
        {
            await GraphQLWebSocket.RunAsync(context, engine, connections, settings, caller);
            return;
        }

        var eventStream = EventStreamResponse.IsRequested(context.Request);
        if (await GraphQLHttpRequest.ReadAsync(context, options, eventStream ? GraphQLMediaTypes.Json : null) is not { } http)
        {
            return;
        }

        var request = CreateRequest(
            context,
            engine,
            settings,
            caller,
            new GatewayRequest(
                http.Query,
                http.OperationName,
                http.Variables is { } variables ? JsonObject.Create(variables) : null,
                ReadOnly: http.IsGet,
                Extensions: http.Extensions is { } extensions ? JsonObject.Create(extensions) : null,
                Streams: eventStream));
        if (eventStream)
        {
            await EventStreamResponse.RunAsync(context, engine, connections, settings.Subscriptions, request);
            return;
        }

        if (!shared.Applies(request))
        {
            var result = await engine.ExecuteAsync(request, context.RequestAborted);
            // As UTF-8 in pooled chunks: a large answer never becomes one string or array on the large object heap.
            using var body = BoundedResponse.Serialize(result, engine.Options.MaxResponseBytes);
            Start(context, http.ResponseMediaType, body.Status, result.NotExecuted);
            await body.WriteToAsync(context.Response.Body, context.RequestAborted);
            return;
        }

        var answer = await shared.ExecuteAsync(request, context.RequestAborted);
        Start(context, http.ResponseMediaType, answer.Status, answer.NotExecuted);
        await answer.WriteToAsync(context.Response.Body, context.RequestAborted);
    }

    /// <summary>
    /// Completes a request read from HTTP or a WebSocket message with what the connection says about it: the caller,
    /// forwarded headers, the client address, the plan, cost and arbitrary-documents headers.
    /// </summary>
    internal static GatewayRequest CreateRequest(HttpContext context, GatewayEngine engine, GatewaySettings settings, CallerIdentity? caller, GatewayRequest read) =>
        read with
        {
            IncludePlan = WantsPlan(context) && GatewaySettings.Switch(settings.Authorization.ExposeQueryPlans) == true && caller?.HasScope("admin") == true,
            Headers = Forwarded(context, engine),
            IncludeCost = WantsCost(context),
            ArbitraryDocument = PresentsArbitraryDocumentsKey(context, settings.PersistedDocuments.ArbitraryDocumentsKey),
            Caller = caller,
            ForwardedFor = ForwardedFor(context, settings.TrustsForwardedFor),
        };

    private static void Start(HttpContext context, string mediaType, int engineStatus, bool notExecuted) =>
        GraphQLHttpResponse.Start(
            context,
            notExecuted ? GraphQLHttpResponse.StatusCode(mediaType, executed: false) : engineStatus,
            mediaType);

    /// <summary>
    /// The configured client headers. The client's <c>Authorization</c> never goes on: subgraphs get the gateway's internal
    /// token instead (<see cref="GatewayOptions.InternalTokens"/>).
    /// </summary>
    private static Dictionary<string, string>? Forwarded(HttpContext context, GatewayEngine engine)
    {
        Dictionary<string, string>? headers = null;
        foreach (var name in engine.Options.ForwardHeaders)
        {
            if (context.Request.Headers.TryGetValue(name, out var value) && value.Count > 0)
            {
                (headers ??= new(StringComparer.OrdinalIgnoreCase))[name] = value.ToString();
            }
        }

        return headers;
    }

    /// <summary>
    /// The X-Forwarded-For chain for subgraphs, as a proxy appends to it: the client address ends it. With trusted front
    /// proxies (<c>ForwardedHeaders:TrustedProxies</c>) the forwarded-headers middleware has already taken their hops off the
    /// incoming chain and made the client the remote address, and what is left of the chain stays in front; otherwise
    /// the incoming header is anyone's word and only the connection's address goes on.
    /// </summary>
    private static string? ForwardedFor(HttpContext context, bool trustsForwardedFor)
    {
        if (context.Connection.RemoteIpAddress is not { } remote)
        {
            return null;
        }

        var address = (remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote).ToString();
        var incoming = trustsForwardedFor ? context.Request.Headers[SubgraphHeaders.ForwardedForHeader].ToString() : string.Empty;
        return incoming.Length > 0 ? incoming + ", " + address : address;
    }

    /// <summary>The header that carries <c>PersistedDocuments:ArbitraryDocumentsKey</c>.</summary>
    public const string ArbitraryDocumentsHeader = "X-Arbitrary-Documents-Key";

    private static bool PresentsArbitraryDocumentsKey(HttpContext context, string? key) =>
        key is { Length: > 0 }
        && context.Request.Headers.TryGetValue(ArbitraryDocumentsHeader, out var sent)
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(sent.ToString()), Encoding.UTF8.GetBytes(key));

    /// <summary>The cost figures come from the public schema and the caller's own operation and answer: anyone may ask.</summary>
    private static bool WantsCost(HttpContext context) =>
        string.Equals(context.Request.Headers["GraphQL-Cost"], "true", StringComparison.OrdinalIgnoreCase);

    private static bool WantsPlan(HttpContext context) =>
        string.Equals(context.Request.Headers["GraphQL-Query-Plan"], "true", StringComparison.OrdinalIgnoreCase);
}
