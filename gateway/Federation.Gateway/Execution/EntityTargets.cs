using System.Text.Json.Nodes;

namespace Federation.Gateway.Execution;

/// <summary>One entity found at an entity fetch's path, and where it sits in the response.</summary>
internal readonly record struct EntityTarget(ResultObject Entity, ResponsePath? Path);

/// <summary>
/// What one entity fetch sends and where each answer goes: the representations in request order and, for each, the
/// entities it stands for. Identical representations are sent once; every entity that produced one receives the answer.
/// </summary>
internal sealed class EntityTargets
{
    private readonly List<List<EntityTarget>> _owners = [];
    private readonly Dictionary<string, int> _indexByText;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _indexBySpan;

    public EntityTargets()
    {
        _indexByText = new(StringComparer.Ordinal);
        _indexBySpan = _indexByText.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public JsonArray Representations { get; } = [];

    public int Count => _owners.Count;

    /// <summary>Where an error about the whole fetch is reported: the first entity's path.</summary>
    public ResponsePath? FirstPath => _owners.Count > 0 ? _owners[0][0].Path : null;

    public IReadOnlyList<EntityTarget> OwnersOf(int index) => _owners[index];

    /// <summary>Adds <paramref name="owner"/> to the representation already added under <paramref name="text"/>, if there is one.</summary>
    public bool TryAddOwner(ReadOnlySpan<char> text, EntityTarget owner)
    {
        if (!_indexBySpan.TryGetValue(text, out var index))
        {
            return false;
        }

        _owners[index].Add(owner);
        return true;
    }

    /// <param name="text">The representation as <see cref="JsonNode.ToJsonString"/> prints it, when the caller already has it.</param>
    public void Add(JsonObject representation, EntityTarget owner, string? text = null)
    {
        text ??= representation.ToJsonString();
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
