using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Federation.Gateway.Execution;

/// <summary>
/// One entity found at an entity fetch's path, and where it sits in the response: its path's steps are
/// <see cref="PathLength"/> entries of the fetch's <see cref="EntityPaths"/> from <see cref="PathStart"/>.
/// </summary>
internal readonly record struct EntityTarget(ResultObject Entity, int PathStart, int PathLength);

/// <summary>
/// The response paths of the entities one entity fetch found, kept as steps in one shared list and turned into JSON only
/// when an error needs one: a step is a list index (0 or more) or, negative, the key at a position of the fetch's path.
/// </summary>
internal sealed class EntityPaths(IReadOnlyList<string> fetchPath)
{
    private readonly List<int> _steps = [];

    /// <summary>The step for the key at <paramref name="position"/> of the fetch's path.</summary>
    public static int KeyStep(int position) => -position - 1;

    /// <summary>The entity found after <paramref name="steps"/>, which are copied.</summary>
    public EntityTarget Target(ResultObject entity, List<int> steps)
    {
        var start = _steps.Count;
        _steps.AddRange(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(steps));
        return new EntityTarget(entity, start, steps.Count);
    }

    public JsonArray ToJson(EntityTarget target)
    {
        var segments = new JsonArray();
        for (var i = target.PathStart; i < target.PathStart + target.PathLength; i++)
        {
            var step = _steps[i];
            segments.Add(step >= 0 ? JsonValue.Create(step) : JsonValue.Create(fetchPath[-step - 1]));
        }

        return segments;
    }
}

/// <summary>
/// What one entity fetch sends and where each answer goes: the representations in request order and, for each, the
/// entities it stands for. Identical representations are sent once; every entity that produced one receives the answer.
/// Each representation is kept as the UTF-8 JSON it is sent as, which is also what identifies it.
/// </summary>
internal sealed class EntityTargets
{
    private readonly List<byte[]> _representations = [];
    private readonly Dictionary<byte[], int> _index;
    private readonly Dictionary<byte[], int>.AlternateLookup<ReadOnlySpan<byte>> _indexBySpan;

    // Every owner in the order added, with the representation it belongs to: one list for the fetch rather than one per
    // representation. Grouped by representation when first read.
    private readonly List<EntityTarget> _owners = [];
    private readonly List<int> _ownerRepresentations = [];
    private EntityTarget[]? _grouped;
    private int[]? _groupStarts;

    /// <param name="paths">Where the paths of every entity added were recorded.</param>
    public EntityTargets(EntityPaths paths)
    {
        Paths = paths;
        _index = new(Utf8Comparer.Instance);
        _indexBySpan = _index.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    public int Count => _representations.Count;

    public EntityPaths Paths { get; }

    /// <summary>Where an error about the whole fetch is reported: the first entity's path (null when there is none).</summary>
    public JsonArray? FirstPath() => _owners.Count > 0 ? Paths.ToJson(_owners[0]) : null;

    /// <summary>The entities the representation at <paramref name="index"/> stands for, in the order they were added.</summary>
    public ReadOnlySpan<EntityTarget> OwnersOf(int index)
    {
        if (_owners.Count == _representations.Count)
        {
            // No representation stands for two entities: owner i belongs to representation i.
            return System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_owners).Slice(index, 1);
        }

        if (_grouped is null)
        {
            Group();
        }

        return _grouped.AsSpan(_groupStarts![index], _groupStarts[index + 1] - _groupStarts[index]);
    }

    /// <summary>The representation sent at <paramref name="index"/>, as UTF-8 JSON (not to be changed).</summary>
    public byte[] RepresentationAt(int index) => _representations[index];

    /// <summary>
    /// The representations in request order as the value of a <c>$representations</c> variable: one node that writes
    /// them as they are, so they are neither parsed into nor printed from JSON nodes.
    /// </summary>
    public JsonNode ToVariable() => JsonValue.Create(new RepresentationList(_representations), RepresentationList.TypeInfo)!;

    /// <summary>Adds <paramref name="owner"/> to the representation already added as <paramref name="utf8"/>, if there is one.</summary>
    public bool TryAddOwner(ReadOnlySpan<byte> utf8, EntityTarget owner)
    {
        if (!_indexBySpan.TryGetValue(utf8, out var index))
        {
            return false;
        }

        AddOwner(index, owner);
        return true;
    }

    /// <param name="representation">The representation as UTF-8 JSON; kept, so the caller must not change it afterwards.</param>
    public void Add(byte[] representation, EntityTarget owner)
    {
        if (!_index.TryGetValue(representation, out var index))
        {
            index = _representations.Count;
            _index[representation] = index;
            _representations.Add(representation);
        }

        AddOwner(index, owner);
    }

    private void AddOwner(int index, EntityTarget owner)
    {
        _owners.Add(owner);
        _ownerRepresentations.Add(index);
        _grouped = null;
    }

    /// <summary>Sorts the owners by representation, keeping each one's order (a counting sort).</summary>
    private void Group()
    {
        // Count each representation's owners at the slot after its own, then sum: each slot becomes its group's start.
        var starts = new int[_representations.Count + 1];
        foreach (var representation in _ownerRepresentations)
        {
            starts[representation + 1]++;
        }

        for (var i = 1; i < starts.Length; i++)
        {
            starts[i] += starts[i - 1];
        }

        var next = starts.AsSpan(0, _representations.Count).ToArray();
        var grouped = new EntityTarget[_owners.Count];
        for (var i = 0; i < _owners.Count; i++)
        {
            grouped[next[_ownerRepresentations[i]]++] = _owners[i];
        }

        (_grouped, _groupStarts) = (grouped, starts);
    }

    /// <summary>Byte-wise equality of UTF-8 JSON texts, looked up from a span without copying it.</summary>
    private sealed class Utf8Comparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static readonly Utf8Comparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => GetHashCode((ReadOnlySpan<byte>)obj);

        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<byte> alternate)
        {
            var hash = new HashCode();
            hash.AddBytes(alternate);
            return hash.ToHashCode();
        }

        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
    }

    /// <summary>
    /// A JSON array of representations already printed. The converter is on the type, so whichever serializer options
    /// print the request (the node re-resolves its converter from them) write it the same way.
    /// </summary>
    [JsonConverter(typeof(Converter))]
    private sealed class RepresentationList(List<byte[]> items)
    {
        public List<byte[]> Items { get; } = items;

        public static readonly JsonTypeInfo<RepresentationList> TypeInfo =
            (JsonTypeInfo<RepresentationList>)JsonSerializerOptions.Default.GetTypeInfo(typeof(RepresentationList));

        private sealed class Converter : JsonConverter<RepresentationList>
        {
            public override RepresentationList Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
                throw new NotSupportedException("Representations are only ever written.");

            public override void Write(Utf8JsonWriter writer, RepresentationList value, JsonSerializerOptions options)
            {
                writer.WriteStartArray();
                foreach (var item in value.Items)
                {
                    // Printed by this gateway (LeafRepresentationWriter or the serializer), so known to be valid JSON.
                    writer.WriteRawValue(item, skipInputValidation: true);
                }

                writer.WriteEndArray();
            }
        }
    }
}
