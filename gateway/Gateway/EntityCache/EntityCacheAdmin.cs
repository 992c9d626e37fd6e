using System.Text.Json;
using System.Text.Json.Nodes;
using Federation.Gateway.Caching.Entities;
using Microsoft.Extensions.Options;

namespace Federation.Gateway.Host.EntityCache;

/// <summary>
/// <c>POST /admin/entity-cache/invalidate</c> with <c>{"type": "Product", "subgraph": "inventory", "id": "42"}</c>:
/// makes the entries of one entity (or, without <c>id</c>, of the whole type; without <c>subgraph</c>, in every subgraph
/// that declares it) stale for every replica. The caller's bearer token is verified as for <c>/graphql</c> and must
/// carry the <c>admin</c> scope.
/// </summary>
public static class EntityCacheAdmin
{
    public const string Path = "/admin/entity-cache/invalidate";

    public static void MapEntityCacheAdmin(this IEndpointRouteBuilder endpoints) => endpoints.MapPost(Path, HandleAsync);

    private static async Task<IResult?> HandleAsync(HttpContext context, IOptions<GatewaySettings> settings, GatewayEngine engine)
    {
        var (refused, caller) = await BearerAuthentication.AuthenticateAsync(context, settings.Value.Authentication);
        if (refused)
        {
            return null;
        }

        if (caller is null)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return Results.Problem("Clearing the entity cache needs a bearer token with the admin scope.", statusCode: StatusCodes.Status401Unauthorized);
        }

        if (!caller.HasScope("admin"))
        {
            return Results.Problem("Clearing the entity cache needs the admin scope.", statusCode: StatusCodes.Status403Forbidden);
        }

        var options = engine.Options.EntityCache;
        if (!options.Active || context.RequestServices.GetService<RedisEntityCache>() is not { } cache)
        {
            return Results.Problem("The entity cache is not enabled (EntityCache:Enabled, ConnectionStrings:Redis).", statusCode: StatusCodes.Status409Conflict);
        }

        if (await ReadAsync(context) is not { } request)
        {
            return Results.Problem("""The body must be JSON like {"type": "Product", "subgraph": "inventory", "id": "42"}; type is required.""", statusCode: StatusCodes.Status400BadRequest);
        }

        // Every subgraph that resolves the type as an entity may hold entries of it (their Cache-Control decides).
        var supergraph = engine.Supergraph;
        var entities = (supergraph.Types.GetValueOrDefault(request.Type)?.Joins ?? [])
            .Where(j => j.Key is not null && j.Resolvable)
            .Select(j => supergraph.GraphName(j.Graph))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Where(subgraph => options.IsCached(subgraph) && (request.Subgraph is null || string.Equals(subgraph, request.Subgraph, StringComparison.OrdinalIgnoreCase)))
            .Select(subgraph => (Subgraph: subgraph, TypeName: request.Type, request.Id))
            .ToList();
        if (entities.Count == 0)
        {
            return Results.Problem($"No cached subgraph resolves {request.Subgraph ?? "any subgraph"}'s {request.Type} as an entity.", statusCode: StatusCodes.Status400BadRequest);
        }

        try
        {
            await cache.InvalidateAsync(entities);
        }
        catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
        {
            return Results.Problem("Redis could not be reached; nothing was invalidated.", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        foreach (var (subgraph, typeName, _) in entities)
        {
            EntityCacheTelemetry.CountInvalidation(subgraph, typeName, "admin");
        }

        return Results.Json(new
        {
            invalidated = entities.Select(e => new { subgraph = e.Subgraph, type = e.TypeName, id = e.Id }),
        });
    }

    private static async Task<(string Type, string? Subgraph, string? Id)?> ReadAsync(HttpContext context)
    {
        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException)
        {
            return null;
        }

        if (body is not JsonObject request || Text(request["type"]) is not { Length: > 0 } type
            || (request["subgraph"] is { } s && Text(s) is null) || (request["id"] is { } i && Text(i) is null))
        {
            return null;
        }

        return (type, Text(request["subgraph"]), Text(request["id"]));
    }

    /// <summary>A string, or an integer id as its digits.</summary>
    private static string? Text(JsonNode? node) => node is JsonValue value
        ? value.TryGetValue<string>(out var text) ? text : value.TryGetValue<long>(out var number) ? number.ToString(System.Globalization.CultureInfo.InvariantCulture) : null
        : null;
}
