using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Federation.GraphQLHttp;

/// <summary>The two response media types of GraphQL over HTTP and the choice between them by <c>Accept</c>.</summary>
public static class GraphQLMediaTypes
{
    public const string GraphQLResponse = "application/graphql-response+json";
    public const string Json = "application/json";

    /// <summary>
    /// The response media type for a request; null when its <c>Accept</c> allows neither (406). A missing <c>Accept</c>,
    /// <c>*/*</c> and <c>application/*</c> get application/json: clients that do not name the new media type may not
    /// understand its status codes. At equal quality application/graphql-response+json wins.
    /// </summary>
    public static string? Negotiate(HttpRequest request)
    {
        var accept = request.Headers.Accept.ToString();
        if (string.IsNullOrWhiteSpace(accept))
        {
            return Json;
        }

        string? best = null;
        var bestQuality = 0.0;
        foreach (var part in accept.Split(','))
        {
            var segments = part.Split(';');
            var candidate = segments[0].Trim().ToLowerInvariant() switch
            {
                GraphQLResponse => GraphQLResponse,
                Json or "application/*" or "*/*" => Json,
                _ => null,
            };
            var quality = Quality(segments);
            if (candidate is not null && quality > 0 && (quality > bestQuality || (quality == bestQuality && candidate == GraphQLResponse)))
            {
                best = candidate;
                bestQuality = quality;
            }
        }

        return best;
    }

    /// <summary>The <c>q</c> parameter of one <c>Accept</c> entry split at <c>;</c> (1 when absent, 0 when unreadable).</summary>
    public static double Quality(string[] segments)
    {
        foreach (var parameter in segments.AsSpan(1))
        {
            var pair = parameter.Split('=', 2);
            if (pair.Length == 2 && pair[0].Trim() == "q")
            {
                return double.TryParse(pair[1].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var q) ? q : 0;
            }
        }

        return 1;
    }
}
