using System.Collections.Concurrent;

namespace Federation.Gateway.Caching;

/// <summary>
/// A concurrent map that starts over when it reaches its capacity: memory stays bounded however many distinct keys
/// clients send, and the entries still in use come back on the next request. Plans, validated documents and persisted
/// queries are kept in one each.
/// </summary>
public sealed class BoundedCache<TValue>(int capacity, StringComparer comparer)
{
    private readonly ConcurrentDictionary<string, TValue> _entries = new(comparer);

    public int Count => _entries.Count;

    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out TValue value) => _entries.TryGetValue(key, out value);

    public void Set(string key, TValue value)
    {
        if (_entries.Count >= capacity)
        {
            _entries.Clear();
        }

        _entries[key] = value;
    }
}
