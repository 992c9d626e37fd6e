using System.Text.Json.Nodes;
using Newtonsoft.Json.Linq;

namespace Federation.Gateway.Tests.Fixtures;

public static class Snapshots
{
    /// <summary>Snapshooter serializes with Newtonsoft; hand it the JSON as a token so the snapshot is the response itself.</summary>
    public static JToken ToSnapshot(this JsonNode node) => JToken.Parse(node.ToJsonString());
}
