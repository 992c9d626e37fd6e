using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Federation.Gateway.Execution;

/// <summary>
/// A node of the merged subgraph data: an object, a list or a leaf (a string, number or boolean; JSON null is a null
/// node). Built for one purpose, carrying the answers from the subgraphs' bytes to the client's: objects are two arrays
/// of names and values searched in order (a GraphQL object has a handful of fields), leaves point into the bytes the
/// subgraph sent and are written back out from them, and no node knows its parent, so moving one into another tree costs
/// nothing. <see cref="JsonNode"/>, which this replaced on the execution path, spent most of the gateway's time building
/// dictionaries, materializing property names and boxing elements (docs/architecture.md, "Execution").
/// </summary>
public abstract class ResultNode
{
    private protected ResultNode()
    {
    }

    public abstract void WriteTo(Utf8JsonWriter writer);

    /// <summary>A copy that shares nothing mutable with this node (leaves are immutable and shared).</summary>
    public abstract ResultNode DeepClone();

    public string ToJsonString() => Encoding.UTF8.GetString(ToUtf8().WrittenSpan);

    /// <summary>The node as a <see cref="JsonNode"/>, for the places that still speak it (representations, cost, tests).</summary>
    public JsonNode? ToJsonNode() => JsonNode.Parse(ToUtf8().WrittenSpan, ResultState.NodeOptions);

    /// <summary>The node printed as UTF-8 JSON by a default <see cref="Utf8JsonWriter"/>.</summary>
    internal ArrayBufferWriter<byte> ToUtf8()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using var writer = new Utf8JsonWriter(buffer);
        WriteTo(writer);
        writer.Flush();
        return buffer;
    }

    /// <summary>Reads a <see cref="JsonNode"/> into a result node (subscription events, test doubles, cache entries).</summary>
    public static ResultNode? From(JsonNode? node) =>
        node is null ? null : ResultReader.Parse(JsonSerializer.SerializeToUtf8Bytes(node));

    internal static void Write(Utf8JsonWriter writer, ResultNode? node)
    {
        if (node is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            node.WriteTo(writer);
        }
    }
}

/// <summary>An object of the result: names and values in insertion order, looked up by ordinal comparison.</summary>
public sealed class ResultObject : ResultNode
{
    private string[] _keys;
    private ResultNode?[] _values;
    private int _count;

    public ResultObject()
    {
        _keys = [];
        _values = [];
    }

    public ResultObject(int capacity)
    {
        _keys = capacity == 0 ? [] : new string[capacity];
        _values = capacity == 0 ? [] : new ResultNode?[capacity];
    }

    /// <summary>An object of exactly these entries (distinct names, the arrays handed over).</summary>
    private ResultObject(string[] keys, ResultNode?[] values)
    {
        _keys = keys;
        _values = values;
        _count = keys.Length;
    }

    /// <summary>An object of the given entries, copied into arrays of their size.</summary>
    internal static ResultObject Of(ReadOnlySpan<string> keys, ReadOnlySpan<ResultNode?> values) =>
        keys.IsEmpty ? new ResultObject() : new ResultObject(keys.ToArray(), values.ToArray());

    /// <summary>Makes room for <paramref name="capacity"/> entries in one step (a merge that knows how many it adds).</summary>
    public void EnsureCapacity(int capacity)
    {
        if (capacity > _keys.Length)
        {
            Array.Resize(ref _keys, capacity);
            Array.Resize(ref _values, capacity);
        }
    }

    public int Count => _count;

    public string KeyAt(int index) => _keys[index];

    public ResultNode? ValueAt(int index) => _values[index];

    public void SetAt(int index, ResultNode? value) => _values[index] = value;

    public ResultNode? this[string key]
    {
        get => IndexOf(key) is var i and >= 0 ? _values[i] : null;
        set => Set(key, value);
    }

    public int IndexOf(string key)
    {
        var keys = _keys;
        for (var i = 0; i < _count; i++)
        {
            if (string.Equals(keys[i], key, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGetValue(string key, out ResultNode? value)
    {
        var i = IndexOf(key);
        value = i >= 0 ? _values[i] : null;
        return i >= 0;
    }

    /// <summary>Replaces the value under <paramref name="key"/>, or adds it at the end.</summary>
    public void Set(string key, ResultNode? value)
    {
        var i = IndexOf(key);
        if (i >= 0)
        {
            _values[i] = value;
        }
        else
        {
            Append(key, value);
        }
    }

    /// <summary>Adds a name the object does not have yet (the caller knows it is new).</summary>
    public void Append(string key, ResultNode? value)
    {
        if (_count == _keys.Length)
        {
            var size = _count == 0 ? 4 : _count * 2;
            Array.Resize(ref _keys, size);
            Array.Resize(ref _values, size);
        }

        _keys[_count] = key;
        _values[_count] = value;
        _count++;
    }

    public bool Remove(string key)
    {
        var i = IndexOf(key);
        if (i < 0)
        {
            return false;
        }

        _count--;
        Array.Copy(_keys, i + 1, _keys, i, _count - i);
        Array.Copy(_values, i + 1, _values, i, _count - i);
        _keys[_count] = null!;
        _values[_count] = null;
        return true;
    }

    public override void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        for (var i = 0; i < _count; i++)
        {
            writer.WritePropertyName(_keys[i]);
            Write(writer, _values[i]);
        }

        writer.WriteEndObject();
    }

    public override ResultNode DeepClone()
    {
        var copy = new ResultObject(_count);
        for (var i = 0; i < _count; i++)
        {
            copy._keys[i] = _keys[i];
            copy._values[i] = _values[i]?.DeepClone();
        }

        copy._count = _count;
        return copy;
    }
}

/// <summary>A list of the result.</summary>
public sealed class ResultList : ResultNode
{
    private ResultNode?[] _items;
    private int _count;

    public ResultList()
    {
        _items = [];
    }

    public ResultList(int capacity)
    {
        _items = capacity == 0 ? [] : new ResultNode?[capacity];
    }

    private ResultList(ResultNode?[] items)
    {
        _items = items;
        _count = items.Length;
    }

    /// <summary>A list of the given items, copied into an array of their size.</summary>
    internal static ResultList Of(ReadOnlySpan<ResultNode?> items) => items.IsEmpty ? new ResultList() : new ResultList(items.ToArray());

    public int Count => _count;

    public ResultNode? this[int index]
    {
        get => (uint)index < (uint)_count ? _items[index] : throw new ArgumentOutOfRangeException(nameof(index));
        set
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_count, nameof(index));
            _items[index] = value;
        }
    }

    public void Add(ResultNode? item)
    {
        if (_count == _items.Length)
        {
            Array.Resize(ref _items, _count == 0 ? 4 : _count * 2);
        }

        _items[_count++] = item;
    }

    public override void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartArray();
        for (var i = 0; i < _count; i++)
        {
            Write(writer, _items[i]);
        }

        writer.WriteEndArray();
    }

    public override ResultNode DeepClone()
    {
        var copy = new ResultList(_count);
        for (var i = 0; i < _count; i++)
        {
            copy._items[i] = _items[i]?.DeepClone();
        }

        copy._count = _count;
        return copy;
    }
}

/// <summary>
/// A string, number or boolean of the result, kept as the UTF-8 bytes the subgraph sent: a number as its text (written
/// back unchanged), a string as its unescaped content (written through the writer's escaping, as
/// <see cref="JsonDocument"/> writes one). Immutable, so clones share it.
/// </summary>
public sealed class ResultLeaf : ResultNode
{
    public static readonly ResultLeaf True = new(JsonValueKind.True, "true"u8.ToArray(), 0, 4, null);
    public static readonly ResultLeaf False = new(JsonValueKind.False, "false"u8.ToArray(), 0, 5, null);

    private readonly byte[] _source;
    private readonly int _start;
    private readonly int _length;
    private string? _text;

    private ResultLeaf(JsonValueKind kind, byte[] source, int start, int length, string? text)
    {
        Kind = kind;
        _source = source;
        _start = start;
        _length = length;
        _text = text;
    }

    public JsonValueKind Kind { get; }

    public bool IsString => Kind == JsonValueKind.String;

    /// <summary>The unescaped UTF-8 of a string, the text of a number or boolean.</summary>
    public ReadOnlySpan<byte> Utf8 => _source.AsSpan(_start, _length);

    public static ResultLeaf String(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        return new ResultLeaf(JsonValueKind.String, bytes, 0, bytes.Length, value);
    }

    /// <summary>A string leaf of unescaped UTF-8 in <paramref name="source"/>, decoded when first asked for.</summary>
    internal static ResultLeaf String(byte[] source, int start, int length) =>
        new(JsonValueKind.String, source, start, length, null);

    internal static ResultLeaf Number(byte[] source, int start, int length) => new(JsonValueKind.Number, source, start, length, null);

    /// <summary>The string's text (decoded once, then kept); null for a number or boolean.</summary>
    public string? GetString() => IsString ? _text ??= Encoding.UTF8.GetString(Utf8) : null;

    /// <summary>Whether this is the string <paramref name="value"/>, without decoding it.</summary>
    public bool StringEquals(string value)
    {
        if (!IsString)
        {
            return false;
        }

        if (_text is not null)
        {
            return string.Equals(_text, value, StringComparison.Ordinal);
        }

        var utf8 = Utf8;
        if (utf8.Length == value.Length && Ascii.IsValid(utf8))
        {
            return Ascii.Equals(utf8, value);
        }

        return string.Equals(GetString(), value, StringComparison.Ordinal);
    }

    public override void WriteTo(Utf8JsonWriter writer)
    {
        if (IsString)
        {
            writer.WriteStringValue(Utf8);
        }
        else
        {
            writer.WriteRawValue(Utf8, skipInputValidation: true);
        }
    }

    public override ResultNode DeepClone() => this;
}

/// <summary>Reads JSON bytes into result nodes; leaves keep pointing into the bytes, which must not change afterwards.</summary>
public static class ResultReader
{
    private const string Typename = "__typename";

    /// <summary>Reads one JSON value (the whole input); throws <see cref="JsonException"/> on anything that is not JSON.</summary>
    public static ResultNode? Parse(byte[] utf8) => Parse(utf8, utf8.Length);

    public static ResultNode? Parse(byte[] utf8, int length)
    {
        var reader = new Utf8JsonReader(utf8.AsSpan(0, length), isFinalBlock: true, state: default);
        if (!reader.Read())
        {
            throw new JsonException("Empty JSON input.");
        }

        var value = ReadValue(ref reader, utf8);
        if (reader.Read())
        {
            throw new JsonException("Content after the JSON value.");
        }

        return value;
    }

    /// <summary>Reads the value the reader stands on (its first token already read) and leaves the reader on its last token.</summary>
    public static ResultNode? ReadValue(ref Utf8JsonReader reader, byte[] source)
    {
        var scratch = ReadScratch.Rent();
        try
        {
            return Read(ref reader, source, scratch);
        }
        finally
        {
            ReadScratch.Return(scratch);
        }
    }

    private static ResultNode? Read(ref Utf8JsonReader reader, byte[] source, ReadScratch scratch)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                // Entries gather on the scratch stack (a nested value's own entries come and go above them), and the
                // object is made once at its end with arrays of its size.
                var start = scratch.Entries;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var key = ResultNames.Read(ref reader);
                    reader.Read();
                    var value = key == Typename && reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped
                        ? ResultNames.TypenameLeaf(ref reader, source)
                        : Read(ref reader, source, scratch);
                    scratch.SetEntry(start, key, value);
                }

                return scratch.PopObject(start);
            case JsonTokenType.StartArray:
                var first = scratch.Items;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    var item = Read(ref reader, source, scratch);
                    scratch.PushItem(item);
                }

                return scratch.PopList(first);
            case JsonTokenType.String:
                if (reader.ValueIsEscaped)
                {
                    var unescaped = new byte[reader.ValueSpan.Length];
                    var written = reader.CopyString(unescaped);
                    return ResultLeaf.String(unescaped, 0, written);
                }

                return ResultLeaf.String(source, checked((int)reader.TokenStartIndex + 1), reader.ValueSpan.Length);
            case JsonTokenType.Number:
                return ResultLeaf.Number(source, checked((int)reader.TokenStartIndex), reader.ValueSpan.Length);
            case JsonTokenType.True:
                return ResultLeaf.True;
            case JsonTokenType.False:
                return ResultLeaf.False;
            case JsonTokenType.Null:
                return null;
            default:
                throw new JsonException($"Unexpected JSON token {reader.TokenType}.");
        }
    }

    /// <summary>
    /// The stacks a read gathers entries and items on before it knows an object's or a list's size, kept per thread (a
    /// read never awaits), so objects and lists are made at their size instead of grown from 4 by doubling (with the
    /// one-step growth of merges, 2% fewer bytes per deep query; docs/architecture.md, "Execution").
    /// </summary>
    private sealed class ReadScratch
    {
        private const int MaxKept = 4096;

        [ThreadStatic]
        private static ReadScratch? t_cached;

        private string[] _keys = new string[64];
        private ResultNode?[] _values = new ResultNode?[64];
        private ResultNode?[] _items = new ResultNode?[64];

        public int Entries { get; private set; }

        public int Items { get; private set; }

        public static ReadScratch Rent()
        {
            var scratch = t_cached;
            t_cached = null;
            return scratch ?? new ReadScratch();
        }

        /// <summary>Clears what a failed read left behind, so no node outlives its read here, and keeps the stacks unless they grew large.</summary>
        public static void Return(ReadScratch scratch)
        {
            if (scratch._keys.Length > MaxKept || scratch._items.Length > MaxKept)
            {
                return;
            }

            Array.Clear(scratch._keys, 0, scratch.Entries);
            Array.Clear(scratch._values, 0, scratch.Entries);
            Array.Clear(scratch._items, 0, scratch.Items);
            scratch.Entries = 0;
            scratch.Items = 0;
            t_cached = scratch;
        }

        /// <summary>Adds an entry to the object whose entries start at <paramref name="start"/>; a repeated name replaces the value in place.</summary>
        public void SetEntry(int start, string key, ResultNode? value)
        {
            for (var i = start; i < Entries; i++)
            {
                if (string.Equals(_keys[i], key, StringComparison.Ordinal))
                {
                    _values[i] = value;
                    return;
                }
            }

            if (Entries == _keys.Length)
            {
                Array.Resize(ref _keys, Entries * 2);
                Array.Resize(ref _values, Entries * 2);
            }

            _keys[Entries] = key;
            _values[Entries] = value;
            Entries++;
        }

        public ResultObject PopObject(int start)
        {
            var count = Entries - start;
            var obj = ResultObject.Of(_keys.AsSpan(start, count), _values.AsSpan(start, count));
            Array.Clear(_keys, start, count);
            Array.Clear(_values, start, count);
            Entries = start;
            return obj;
        }

        public void PushItem(ResultNode? item)
        {
            if (Items == _items.Length)
            {
                Array.Resize(ref _items, Items * 2);
            }

            _items[Items++] = item;
        }

        public ResultList PopList(int start)
        {
            var count = Items - start;
            var list = ResultList.Of(_items.AsSpan(start, count));
            Array.Clear(_items, start, count);
            Items = start;
            return list;
        }
    }
}

/// <summary>
/// Property names and type names read from subgraph answers, kept once for the process: the same few hundred names
/// arrive in every answer, and each would otherwise be a new string per object. Bounded, since aliases come from clients.
/// </summary>
internal static class ResultNames
{
    private const int MaxNames = 8192;
    private const int MaxLength = 128;
    private static readonly ConcurrentDictionary<string, string> Names = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> Lookup = Names.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly ConcurrentDictionary<string, ResultLeaf> Typenames = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, ResultLeaf>.AlternateLookup<ReadOnlySpan<char>> TypenameLookup = Typenames.GetAlternateLookup<ReadOnlySpan<char>>();
    private static int _count;

    /// <summary>The name the reader stands on (a property name), from the table when it is short ASCII.</summary>
    public static string Read(ref Utf8JsonReader reader)
    {
        var utf8 = reader.ValueSpan;
        if (reader.ValueIsEscaped || reader.HasValueSequence || utf8.Length > MaxLength)
        {
            return reader.GetString()!;
        }

        Span<char> chars = stackalloc char[MaxLength];
        if (Ascii.ToUtf16(utf8, chars, out var length) != OperationStatus.Done)
        {
            return reader.GetString()!;
        }

        var span = chars[..length];
        if (Lookup.TryGetValue(span, out var name))
        {
            return name;
        }

        name = new string(span);
        if (Interlocked.Increment(ref _count) <= MaxNames)
        {
            return Names.GetOrAdd(name, name);
        }

        return name;
    }

    /// <summary>
    /// A <c>__typename</c> value (the reader stands on an unescaped string): one shared leaf per type name, whose text is
    /// known, since every entity fetch and every abstract field reads it.
    /// </summary>
    public static ResultLeaf TypenameLeaf(ref Utf8JsonReader reader, byte[] source)
    {
        var utf8 = reader.ValueSpan;
        Span<char> chars = stackalloc char[MaxLength];
        if (utf8.Length <= MaxLength && Ascii.ToUtf16(utf8, chars, out var length) == OperationStatus.Done)
        {
            var span = chars[..length];
            if (TypenameLookup.TryGetValue(span, out var leaf))
            {
                return leaf;
            }

            var text = new string(span);
            leaf = ResultLeaf.String(text);
            return Interlocked.Increment(ref _count) <= MaxNames ? Typenames.GetOrAdd(text, leaf) : leaf;
        }

        return ResultLeaf.String(source, checked((int)reader.TokenStartIndex + 1), utf8.Length);
    }
}
