using System.Globalization;
using GraphQL;

namespace Federation.Subgraph.GraphQL;

/// <summary>Our ids are integers exposed as GraphQL IDs; anything else is a client error, not a 500.</summary>
public static class Ids
{
    public static int Parse(string? id, string argument) =>
        int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ExecutionError($"'{argument}' is not a valid id: '{id}'.") { Code = "BAD_USER_INPUT" };

    public static bool TryParse(string? id, out int value) =>
        int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value > 0;
}
