using System.Text.Json;
using System.Text.Json.Nodes;

namespace Federation.Gateway.Host;

/// <summary>GraphQL over HTTP: POST with a JSON body, GET with query parameters; malformed requests get 4xx with a GraphQL error body.</summary>
public static class GraphQLEndpoint
{
    private const string GraphQLResponseJson = "application/graphql-response+json";

    public static void MapGraphQLEndpoint(this IEndpointRouteBuilder endpoints, string pattern)
    {
        endpoints.MapPost(pattern, PostAsync);
        endpoints.MapGet(pattern, GetAsync);
    }

    private static async Task PostAsync(HttpContext context, GatewayEngine engine, SharedExecutions shared)
    {
        var contentType = context.Request.ContentType ?? string.Empty;
        if (!contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
            && !contentType.StartsWith(GraphQLResponseJson, StringComparison.OrdinalIgnoreCase))
        {
            await WriteAsync(context, BadRequest("Requests must have the content type application/json.", 415));
            return;
        }

        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException e)
        {
            await WriteAsync(context, BadRequest("The request body is not valid JSON: " + e.Message));
            return;
        }

        if (body is not JsonObject obj)
        {
            await WriteAsync(context, BadRequest("The request body must be a JSON object."));
            return;
        }

        if (!TryRead(obj["query"], out var query) || !TryRead(obj["operationName"], out var operationName))
        {
            await WriteAsync(context, BadRequest("`query` and `operationName` must be strings."));
            return;
        }

        if (obj["variables"] is not (null or JsonObject))
        {
            await WriteAsync(context, BadRequest("`variables` must be a JSON object."));
            return;
        }

        if (obj["extensions"] is not (null or JsonObject))
        {
            await WriteAsync(context, BadRequest("`extensions` must be a JSON object."));
            return;
        }

        var request = new GatewayRequest(query, operationName, obj["variables"] as JsonObject, WantsPlan(context), Headers: Forwarded(context, engine), Extensions: obj["extensions"] as JsonObject);
        await ExecuteAsync(context, engine, shared, request);
    }

    private static async Task GetAsync(HttpContext context, GatewayEngine engine, SharedExecutions shared)
    {
        if (BananaCakePop.IsBrowserRequest(context))
        {
            await BananaCakePop.ServeAsync(context, "/graphql");
            return;
        }

        var parameters = context.Request.Query;
        JsonObject? variables = null;
        if (parameters["variables"].ToString() is { Length: > 0 } text)
        {
            try
            {
                variables = JsonNode.Parse(text) as JsonObject;
            }
            catch (JsonException)
            {
            }

            if (variables is null)
            {
                await WriteAsync(context, BadRequest("`variables` must be a JSON object."));
                return;
            }
        }

        JsonObject? extensions = null;
        if (parameters["extensions"].ToString() is { Length: > 0 } extensionsText)
        {
            try
            {
                extensions = JsonNode.Parse(extensionsText) as JsonObject;
            }
            catch (JsonException)
            {
            }

            if (extensions is null)
            {
                await WriteAsync(context, BadRequest("`extensions` must be a JSON object."));
                return;
            }
        }

        var operationName = parameters["operationName"].ToString();
        var request = new GatewayRequest(
            parameters["query"].ToString(),
            operationName.Length == 0 ? null : operationName,
            variables,
            WantsPlan(context),
            ReadOnly: true,
            Headers: Forwarded(context, engine),
            Extensions: extensions);
        await ExecuteAsync(context, engine, shared, request);
    }

    private static async Task ExecuteAsync(HttpContext context, GatewayEngine engine, SharedExecutions shared, GatewayRequest request)
    {
        if (!shared.Applies(request))
        {
            await WriteAsync(context, await engine.ExecuteAsync(request, context.RequestAborted));
            return;
        }

        var (status, body) = await shared.ExecuteAsync(request, context.RequestAborted);
        SetHeaders(context, status);
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    private static bool TryRead(JsonNode? node, out string? value)
    {
        value = null;
        if (node is null)
        {
            return true;
        }

        return node is JsonValue v && v.TryGetValue(out value);
    }

    /// <summary>Authorization always reaches the subgraphs (they authorize per user); other headers only when configured.</summary>
    private static Dictionary<string, string>? Forwarded(HttpContext context, GatewayEngine engine)
    {
        Dictionary<string, string>? headers = null;
        foreach (var name in engine.Options.ForwardHeaders.Prepend("Authorization"))
        {
            if (context.Request.Headers.TryGetValue(name, out var value) && value.Count > 0)
            {
                (headers ??= new(StringComparer.OrdinalIgnoreCase))[name] = value.ToString();
            }
        }

        return headers;
    }

    private static bool WantsPlan(HttpContext context) =>
        string.Equals(context.Request.Headers["GraphQL-Query-Plan"], "true", StringComparison.OrdinalIgnoreCase);

    private static GatewayResult BadRequest(string message, int status = 400) => new(status, new JsonObject
    {
        ["errors"] = new JsonArray(new JsonObject
        {
            ["message"] = message,
            ["extensions"] = new JsonObject { ["code"] = "BAD_REQUEST" },
        }),
    });

    private static async Task WriteAsync(HttpContext context, GatewayResult result)
    {
        SetHeaders(context, result.StatusCode);
        // Straight to the body as UTF-8: a large answer never becomes one string on the large object heap.
        await JsonSerializer.SerializeAsync(context.Response.Body, result.Body, cancellationToken: context.RequestAborted);
    }

    private static void SetHeaders(HttpContext context, int status)
    {
        var accept = context.Request.Headers.Accept.ToString();
        var graphqlResponse = accept.Contains(GraphQLResponseJson, StringComparison.OrdinalIgnoreCase);
        context.Response.StatusCode = status;
        context.Response.ContentType = (graphqlResponse ? GraphQLResponseJson : "application/json") + "; charset=utf-8";
    }
}
