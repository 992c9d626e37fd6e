using System.Text.Json.Nodes;

namespace Federation.Gateway.Execution;

/// <summary>The merged subgraph data of one request and the errors collected while fetching it.</summary>
public sealed class ResultState
{
    /// <summary>
    /// The merged tree. It carries explicit (default) node options: a node asks its ancestors for options on many
    /// writes, and without options at the root every such question walks all the way up, on every write.
    /// </summary>
    public JsonObject Data { get; } = new(NodeOptions);

    public static readonly JsonNodeOptions NodeOptions = new();

    /// <summary>The errors in the order they were reported; read it once every fetch has finished.</summary>
    public IReadOnlyList<JsonObject> Errors => _errors;

    /// <summary>
    /// Held by every read or write of <see cref="Data"/> while fetches run in parallel. It stays one lock for the whole
    /// tree: fetches to different subgraphs merge into the same entity objects (each adds its fields to one product),
    /// an answer may reach into objects another fetch is writing, and a fetch that becomes ready reads representations
    /// from objects its siblings still write; <see cref="JsonObject"/> allows no concurrent writer. Everything else
    /// about an answer (parsing, alias renaming, splitting a batch, building errors) happens outside it.
    /// </summary>
    public Lock Sync { get; } = new();

    private readonly List<JsonObject> _errors = [];

    public void AddError(JsonObject error)
    {
        lock (_errors)
        {
            _errors.Add(error);
        }
    }

    /// <summary>Adds one answer's errors together, so another fetch's errors never land between them.</summary>
    public void AddErrors(List<JsonObject> errors)
    {
        if (errors.Count == 0)
        {
            return;
        }

        lock (_errors)
        {
            _errors.AddRange(errors);
        }
    }

    /// <summary>Renames temporary planner aliases back to client response keys, in place.</summary>
    public static void StripAliases(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    var value = obj[key];
                    StripAliases(value);
                    var stripped = Planning.InternalAliases.Strip(key);
                    if (stripped != key)
                    {
                        obj.Remove(key);
                        obj[stripped] = value;
                    }
                }

                break;
            case JsonArray list:
                foreach (var item in list)
                {
                    StripAliases(item);
                }

                break;
        }
    }

    /// <summary>Moves every value of <paramref name="source"/> into <paramref name="target"/>, merging objects and equal-length lists.</summary>
    public static void DeepMerge(JsonObject target, JsonObject source)
    {
        if (source.Count == 0)
        {
            return;
        }

        // Detach all values at once (one pass) rather than removing key by key from an ordered dictionary.
        var entries = new KeyValuePair<string, JsonNode?>[source.Count];
        var n = 0;
        foreach (var entry in source)
        {
            entries[n++] = entry;
        }

        source.Clear();
        foreach (var (key, value) in entries)
        {
            if (!target.TryGetPropertyValue(key, out var current))
            {
                target.Add(key, value);
            }
            else if (current is JsonObject existing && value is JsonObject incoming)
            {
                DeepMerge(existing, incoming);
            }
            else if (current is JsonArray existingList && value is JsonArray incomingList && existingList.Count == incomingList.Count)
            {
                MergeLists(existingList, incomingList);
            }
            else if (value is not null)
            {
                target[key] = value;
            }
        }
    }

    private static void MergeLists(JsonArray target, JsonArray source)
    {
        var items = source.ToList();
        source.Clear();
        for (var i = 0; i < items.Count; i++)
        {
            if (target[i] is JsonObject existing && items[i] is JsonObject incoming)
            {
                DeepMerge(existing, incoming);
            }
            else if (target[i] is JsonArray existingList && items[i] is JsonArray incomingList && existingList.Count == incomingList.Count)
            {
                MergeLists(existingList, incomingList);
            }
            else if (items[i] is not null)
            {
                target[i] = items[i];
            }
        }
    }
}
