using System.Text.Json;
using GraphQL;
using GraphQL.Execution;
using GraphQL.Transport;
using GraphQL.Types;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Federation.Subgraph.Http;

/// <summary>
/// GraphQL over HTTP (https://graphql.github.io/graphql-over-http/draft/) for graphql-dotnet:
/// POST with a JSON body, GET for queries, the application/graphql-response+json media type
/// with 4xx for requests that never executed, and plain application/json for legacy clients.
/// </summary>
public sealed class GraphQLHttpEndpoint(
    IDocumentExecuter executer,
    IGraphQLTextSerializer serializer,
    ISchema schema,
    IOptions<GraphQLHttpOptions> options)
{
    internal const string GraphQLResponseMediaType = "application/graphql-response+json";
    internal const string JsonMediaType = "application/json";

    public async Task HandleAsync(HttpContext http)
    {
        var responseType = NegotiateResponseType(http.Request);
        if (responseType is null)
        {
            await WriteErrorAsync(http, StatusCodes.Status406NotAcceptable, JsonMediaType,
                "The Accept header allows neither application/graphql-response+json nor application/json.", "NOT_ACCEPTABLE");
            return;
        }

        var (request, status, message) = HttpMethods.IsGet(http.Request.Method)
            ? ReadFromQueryString(http.Request)
            : HttpMethods.IsPost(http.Request.Method)
                ? await ReadFromBodyAsync(http)
                : (null, StatusCodes.Status405MethodNotAllowed, "Only GET and POST are supported.");

        if (request is null)
        {
            if (status == StatusCodes.Status405MethodNotAllowed)
                http.Response.Headers.Allow = "GET, POST";
            await WriteErrorAsync(http, status, responseType, message!, "BAD_REQUEST");
            return;
        }

        var result = await executer.ExecuteAsync(new ExecutionOptions
        {
            Schema = schema,
            Query = request.Query,
            OperationName = request.OperationName,
            Variables = request.Variables,
            Extensions = request.Extensions,
            RequestServices = http.RequestServices,
            CancellationToken = http.RequestAborted,
            User = http.User,
            ThrowOnUnhandledException = false,
            UserContext = new Dictionary<string, object?> { [QueryOnlyOverGetRule.HttpMethodKey] = http.Request.Method },
        });

        http.Response.ContentType = responseType + "; charset=utf-8";
        if (result.Errors?.Any(e => e is global::GraphQL.Validation.ValidationError { Number: QueryOnlyOverGetRule.ErrorNumber }) == true)
        {
            // GraphQL over HTTP: a mutation sent with GET is answered 405, whatever the media type.
            http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            http.Response.Headers.Allow = "POST";
        }
        else
        {
            http.Response.StatusCode = responseType == GraphQLResponseMediaType && !result.Executed
                ? StatusCodes.Status400BadRequest
                : StatusCodes.Status200OK;
        }
        await serializer.WriteAsync(http.Response.Body, result, http.RequestAborted);
    }

    private (GraphQLRequest?, int, string?) ReadFromQueryString(HttpRequest request)
    {
        var query = request.Query["query"].ToString();
        if (string.IsNullOrWhiteSpace(query))
            return (null, StatusCodes.Status400BadRequest, "The 'query' parameter is required.");

        try
        {
            return (new GraphQLRequest
            {
                Query = query,
                OperationName = NullIfEmpty(request.Query["operationName"].ToString()),
                Variables = DeserializeOrNull<Inputs>(request.Query["variables"].ToString()),
                Extensions = DeserializeOrNull<Inputs>(request.Query["extensions"].ToString()),
            }, 0, null);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or FormatException or InvalidOperationException)
        {
            return (null, StatusCodes.Status400BadRequest, "The 'variables' or 'extensions' parameter is not a JSON object: " + ex.Message);
        }
    }

    private async Task<(GraphQLRequest?, int, string?)> ReadFromBodyAsync(HttpContext http)
    {
        var request = http.Request;
        if (!IsJson(request.ContentType))
            return (null, StatusCodes.Status415UnsupportedMediaType, "POST requests must use Content-Type: application/json.");

        var limit = options.Value.MaxRequestBytes;
        if (request.ContentLength > limit)
            return (null, StatusCodes.Status413PayloadTooLarge, $"The request body exceeds {limit} bytes.");
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
            sizeFeature.MaxRequestBodySize = limit;

        GraphQLRequest? parsed;
        try
        {
            parsed = await serializer.ReadAsync<GraphQLRequest>(request.Body, http.RequestAborted);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, StatusCodes.Status413PayloadTooLarge, $"The request body exceeds {limit} bytes.");
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or FormatException or InvalidOperationException or NotSupportedException)
        {
            return (null, StatusCodes.Status400BadRequest, "The request body is not a valid GraphQL request: " + ex.Message);
        }

        if (parsed is null || string.IsNullOrWhiteSpace(parsed.Query))
            return (null, StatusCodes.Status400BadRequest, "The request body must be a JSON object with a 'query' string.");
        return (parsed, 0, null);
    }

    private T? DeserializeOrNull<T>(string json) where T : class =>
        string.IsNullOrWhiteSpace(json) ? null : serializer.Deserialize<T>(json);

    private static string? NullIfEmpty(string value) => string.IsNullOrEmpty(value) ? null : value;

    private static bool IsJson(string? contentType) =>
        contentType is not null
        && contentType.Split(';')[0].Trim().Equals(JsonMediaType, StringComparison.OrdinalIgnoreCase);

    /// <summary>Picks the response media type from Accept; null when the client accepts neither.</summary>
    internal static string? NegotiateResponseType(HttpRequest request)
    {
        var accept = request.Headers.Accept.ToString();
        if (string.IsNullOrWhiteSpace(accept))
            return GraphQLResponseMediaType;

        string? best = null;
        var bestQuality = -1.0;
        foreach (var part in accept.Split(','))
        {
            var segments = part.Split(';');
            var mediaType = segments[0].Trim().ToLowerInvariant();
            var quality = 1.0;
            foreach (var parameter in segments.Skip(1))
            {
                var kv = parameter.Split('=', 2);
                if (kv.Length == 2 && kv[0].Trim() == "q" && double.TryParse(kv[1].Trim(), System.Globalization.CultureInfo.InvariantCulture, out var q))
                    quality = q;
            }
            var candidate = mediaType switch
            {
                GraphQLResponseMediaType => GraphQLResponseMediaType,
                JsonMediaType => JsonMediaType,
                "application/*" or "*/*" => GraphQLResponseMediaType,
                _ => null,
            };
            if (candidate is not null && quality > 0 && (quality > bestQuality || (quality == bestQuality && candidate == GraphQLResponseMediaType)))
            {
                best = candidate;
                bestQuality = quality;
            }
        }
        return best;
    }

    private async Task WriteErrorAsync(HttpContext http, int status, string mediaType, string message, string code)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = mediaType + "; charset=utf-8";
        var result = new ExecutionResult { Executed = false };
        result.AddError(new ExecutionError(message) { Code = code });
        await serializer.WriteAsync(http.Response.Body, result, http.RequestAborted);
    }
}

public sealed class GraphQLHttpOptions
{
    /// <summary>Largest accepted POST body; larger requests get 413.</summary>
    public long MaxRequestBytes { get; set; } = 1024 * 1024;
}

public static class GraphQLHttpEndpointExtensions
{
    public static IServiceCollection AddGraphQLHttpEndpoint(this IServiceCollection services)
    {
        services.AddOptions<GraphQLHttpOptions>().BindConfiguration("GraphQL:Http");
        services.AddSingleton<GraphQLHttpEndpoint>();
        return services;
    }

    public static Microsoft.AspNetCore.Builder.IEndpointConventionBuilder MapGraphQLHttp(
        this Microsoft.AspNetCore.Routing.IEndpointRouteBuilder endpoints, string pattern = "/graphql") =>
        Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions.Map(endpoints, pattern,
            http => http.RequestServices.GetRequiredService<GraphQLHttpEndpoint>().HandleAsync(http));
}
