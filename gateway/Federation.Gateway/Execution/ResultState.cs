using System.Text.Json.Nodes;

namespace Federation.Gateway.Execution;

/// <summary>The merged subgraph data of one request and the errors collected while fetching it.</summary>
public sealed class ResultState
{
    /// <summary>The merged tree.</summary>
    public ResultObject Data { get; } = new();

    /// <summary>
    /// Options for the <see cref="JsonNode"/>s the gateway still builds (errors, extensions): explicit (default) options
    /// at a root spare every write a walk to the root asking for them.
    /// </summary>
    public static readonly JsonNodeOptions NodeOptions = new();

    /// <summary>The errors in the order they were reported; read it once every fetch has finished.</summary>
    public IReadOnlyList<JsonObject> Errors => _errors;

    /// <summary>
    /// Held by every read or write of <see cref="Data"/> while fetches run in parallel. It stays one lock for the whole
    /// tree: fetches to different subgraphs merge into the same entity objects (each adds its fields to one product),
    /// an answer may reach into objects another fetch is writing, and a fetch that becomes ready reads representations
    /// from objects its siblings still write; <see cref="ResultObject"/> allows no concurrent writer. Everything else
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
    public static void StripAliases(ResultNode? node)
    {
        switch (node)
        {
            case ResultObject obj:
                List<(string Key, string Stripped, ResultNode? Value)>? renames = null;
                for (var i = 0; i < obj.Count; i++)
                {
                    var key = obj.KeyAt(i);
                    var value = obj.ValueAt(i);
                    StripAliases(value);
                    var stripped = Planning.InternalAliases.Strip(key);
                    if (stripped != key)
                    {
                        (renames ??= []).Add((key, stripped, value));
                    }
                }

                // As a rename of each key in turn: the value moves to the end under its client key, replacing one there.
                foreach (var (key, stripped, value) in renames ?? [])
                {
                    obj.Remove(key);
                    obj.Set(stripped, value);
                }

                break;
            case ResultList list:
                for (var i = 0; i < list.Count; i++)
                {
                    StripAliases(list[i]);
                }

                break;
        }
    }

    /// <summary>
    /// Adds every value of <paramref name="source"/> to <paramref name="target"/>, merging objects and equal-length lists.
    /// The source's nodes become the target's: the source must not be used afterwards.
    /// </summary>
    public static void DeepMerge(ResultObject target, ResultObject source)
    {
        // Where each name is in the target, found first so the target grows once, by exactly the names it lacks.
        Span<int> found = source.Count <= 64 ? stackalloc int[source.Count] : new int[source.Count];
        var missing = 0;
        for (var s = 0; s < source.Count; s++)
        {
            found[s] = target.IndexOf(source.KeyAt(s));
            missing += found[s] < 0 ? 1 : 0;
        }

        target.EnsureCapacity(target.Count + missing);
        for (var s = 0; s < source.Count; s++)
        {
            var key = source.KeyAt(s);
            var value = source.ValueAt(s);
            var t = found[s];
            if (t < 0)
            {
                target.Append(key, value);
            }
            else if (target.ValueAt(t) is ResultObject existing && value is ResultObject incoming)
            {
                DeepMerge(existing, incoming);
            }
            else if (target.ValueAt(t) is ResultList existingList && value is ResultList incomingList && existingList.Count == incomingList.Count)
            {
                MergeLists(existingList, incomingList);
            }
            else if (value is not null)
            {
                target.SetAt(t, value);
            }
        }
    }

    private static void MergeLists(ResultList target, ResultList source)
    {
        for (var i = 0; i < source.Count; i++)
        {
            var item = source[i];
            if (target[i] is ResultObject existing && item is ResultObject incoming)
            {
                DeepMerge(existing, incoming);
            }
            else if (target[i] is ResultList existingList && item is ResultList incomingList && existingList.Count == incomingList.Count)
            {
                MergeLists(existingList, incomingList);
            }
            else if (item is not null)
            {
                target[i] = item;
            }
        }
    }
}
