using Federation.GraphQLHttp;
using Federation.Subgraph.GraphQL;
using GraphQL;
using GraphQL.Types;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Federation.Subgraph.Http;

/// <summary>
/// GraphQL over HTTP for graphql-dotnet: the shared layer (<see cref="GraphQLHttpRequest"/>) reads and refuses requests,
/// this endpoint executes them and answers with the status the negotiated media type calls for.
/// </summary>
public sealed class GraphQLHttpEndpoint(
    IDocumentExecuter executer,
    IGraphQLTextSerializer serializer,
    ISchema schema,
    IOptions<GraphQLHttpOptions> options)
{
    public async Task HandleAsync(HttpContext http)
    {
        if (await GraphQLHttpRequest.ReadAsync(http, options.Value) is not { } request)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(request.Query))
        {
            await GraphQLHttpResponse.WriteErrorAsync(http, StatusCodes.Status400BadRequest, request.ResponseMediaType,
                "The request must have a non-empty `query` string.", "BAD_REQUEST");
            return;
        }

        var result = await executer.ExecuteAsync(new ExecutionOptions
        {
            Schema = schema,
            Query = request.Query,
            OperationName = request.OperationName,
            Variables = serializer.ReadNode<Inputs>(request.Variables),
            Extensions = serializer.ReadNode<Inputs>(request.Extensions),
            RequestServices = http.RequestServices,
            CancellationToken = http.RequestAborted,
            User = http.User,
            ThrowOnUnhandledException = false,
            UserContext = new Dictionary<string, object?> { [QueryOnlyOverGetRule.HttpMethodKey] = http.Request.Method },
        });

        // GraphQL over HTTP: a mutation sent with GET is answered 405, whatever the media type.
        var status = result.Errors?.Any(e => e is global::GraphQL.Validation.ValidationError { Number: QueryOnlyOverGetRule.ErrorNumber }) == true
            ? StatusCodes.Status405MethodNotAllowed
            : GraphQLHttpResponse.StatusCode(request.ResponseMediaType, result.Executed);
        GraphQLHttpResponse.Start(http, status, request.ResponseMediaType);

        // What the gateway's entity cache stores the answer for (docs/architecture.md, "Entity cache"); an answer
        // with errors is never cached, whatever its fields declare.
        http.Response.Headers.CacheControl = result is { Executed: true, Errors: null or { Count: 0 }, Document: { } document, Operation: { } operation }
            ? ResponseCachePolicy.Of(schema, document, operation).ToHeader()
            : CachePolicy.NoStore.ToHeader();
        await serializer.WriteAsync(http.Response.Body, result, http.RequestAborted);
    }
}

public static class GraphQLHttpEndpointExtensions
{
    public static IServiceCollection AddGraphQLHttpEndpoint(this IServiceCollection services)
    {
        services.AddGraphQLHttpOptions();
        services.AddSingleton<GraphQLHttpEndpoint>();
        return services;
    }

    public static Microsoft.AspNetCore.Builder.IEndpointConventionBuilder MapGraphQLHttp(
        this Microsoft.AspNetCore.Routing.IEndpointRouteBuilder endpoints, string pattern = "/graphql") =>
        Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions.Map(endpoints, pattern,
            http => http.RequestServices.GetRequiredService<GraphQLHttpEndpoint>().HandleAsync(http));
}
