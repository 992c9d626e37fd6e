using System.Text.Json.Nodes;
using GraphQL;

namespace Federation.Gateway.Pipeline;

/// <summary>GraphQL error objects and error-only answers in the shape Apollo Gateway gives them.</summary>
public static class GraphQLErrors
{
    public static JsonObject Error(string message, string code, JsonArray? locations = null, JsonObject? extensions = null)
    {
        var error = new JsonObject { ["message"] = message };
        if (locations is not null)
        {
            error["locations"] = locations;
        }

        extensions ??= [];
        extensions["code"] = code;
        error["extensions"] = extensions;
        return error;
    }

    public static JsonObject FromValidation(ExecutionError error, string code)
    {
        JsonArray? locations = null;
        if (error.Locations is { Count: > 0 } list)
        {
            locations = [];
            foreach (var location in list)
            {
                locations.Add(Location(location.Line, location.Column));
            }
        }

        return Error(error.Message, code, locations);
    }

    public static JsonObject Location(int line, int column) => new() { ["line"] = line, ["column"] = column };

    /// <param name="data">Include <c>"data": null</c>: the request was valid and reached execution.</param>
    public static GatewayResult Result(int status, JsonObject error, bool data = false) => Result(status, new JsonArray(error), data);

    public static GatewayResult Result(int status, JsonArray errors, bool data = false)
    {
        var body = new JsonObject { ["errors"] = errors };
        if (data)
        {
            body["data"] = null;
        }

        return new GatewayResult(status, body);
    }
}
