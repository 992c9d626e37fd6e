using System.Text.Json;
using System.Text.Json.Serialization;

namespace Federation.Subgraph.Messaging.Events;

/// <summary>The one JSON shape every event uses on the wire: camelCase, no indentation, nulls kept.</summary>
public static class EventJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            // Numbers are numbers on the wire; the Web default would also accept strings, which the contract would then have to allow.
            NumberHandling = JsonNumberHandling.Strict,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
