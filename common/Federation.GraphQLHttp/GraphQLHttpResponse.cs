using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Federation.GraphQLHttp;

/// <summary>Status codes and headers of GraphQL-over-HTTP answers, and the error body for requests refused before GraphQL.</summary>
public static class GraphQLHttpResponse
{
    /// <summary>
    /// The status for a well-formed request that reached GraphQL. One that never executed (document parsing, validation or
    /// variable coercion failed) gets 400 as application/graphql-response+json, but 200 as application/json: legacy clients
    /// read the errors from any 200 answer and may not read a 4xx body at all (spec, "application/json" responses).
    /// </summary>
    public static int StatusCode(string mediaType, bool executed) =>
        !executed && mediaType == GraphQLMediaTypes.GraphQLResponse ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK;

    /// <summary>Sets the status and content type; a 405 names the allowed method (POST: only a mutation sent with GET gets a 405 from GraphQL).</summary>
    public static void Start(HttpContext http, int status, string mediaType)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = mediaType + "; charset=utf-8";
        if (status == StatusCodes.Status405MethodNotAllowed && string.IsNullOrEmpty(http.Response.Headers.Allow))
        {
            http.Response.Headers.Allow = "POST";
        }
    }

    /// <summary>Answers <c>{"errors":[{"message":…,"extensions":{"code":…}}]}</c> without <c>data</c>: nothing executed.</summary>
    public static async Task WriteErrorAsync(HttpContext http, int status, string mediaType, string message, string code)
    {
        Start(http, status, mediaType);
        await using var writer = new Utf8JsonWriter(http.Response.Body);
        writer.WriteStartObject();
        writer.WriteStartArray("errors");
        writer.WriteStartObject();
        writer.WriteString("message", message);
        writer.WriteStartObject("extensions");
        writer.WriteString("code", code);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(http.RequestAborted);
    }
}
