using System.Text.Json.Nodes;

namespace Federation.Gateway.Execution;

/// <summary>One entity found at an entity fetch's path, and where it sits in the response.</summary>
internal readonly record struct EntityTarget(JsonObject Entity, ResponsePath? Path);

/// <summary>
/// What one entity fetch sends and where each answer goes: the representations in request order and, for each, the
/// entities it stands for. Identical representations are sent once; every entity that produced one receives the answer.
/// </summary>
internal sealed class EntityTargets
{
    private readonly List<List<EntityTarget>> _owners = [];
    private readonly Dictionary<string, int> _indexByText = new(StringComparer.Ordinal);

    public JsonArray Representations { get; } = [];

    public int Count => _owners.Count;

    /// <summary>Where an error about the whole fetch is reported: the first entity's path.</summary>
    public ResponsePath? FirstPath => _owners.Count > 0 ? _owners[0][0].Path : null;

    public IReadOnlyList<EntityTarget> OwnersOf(int index) => _owners[index];

    public void Add(JsonObject representation, EntityTarget owner)
    {
        var text = representation.ToJsonString();
        if (!_indexByText.TryGetValue(text, out var index))
        {
            index = _owners.Count;
            _indexByText[text] = index;
            Representations.Add(representation);
            _owners.Add([]);
        }

        _owners[index].Add(owner);
    }
}
