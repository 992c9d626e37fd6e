using System.Buffers;
using System.Text.Json;
using Federation.Gateway.Pipeline;

namespace Federation.Gateway.Host;

/// <summary>
/// An engine answer serialized as UTF-8 into pooled 64 KB chunks (never one large array), refused once it would pass
/// <see cref="GatewayOptions.MaxResponseBytes"/>: the client then gets one clear error instead of the body.
/// </summary>
public sealed class BoundedResponse : IBufferWriter<byte>, IDisposable
{
    private const int ChunkSize = 64 * 1024;

    private readonly List<(byte[] Array, int Used)> _chunks = [];
    private readonly long _maxBytes;
    private long _length;

    private BoundedResponse(long maxBytes) => _maxBytes = maxBytes <= 0 ? long.MaxValue : maxBytes;

    public int Status { get; private set; }

    public long Length => _length;

    /// <param name="maxBytes">0: no limit.</param>
    public static BoundedResponse Serialize(GatewayResult result, int maxBytes)
    {
        var response = new BoundedResponse(maxBytes) { Status = result.StatusCode };
        try
        {
            response.Write(result);
        }
        catch (TooLargeException)
        {
            response.Clear();
            response.Status = 200;
            response.Write(GraphQLErrors.Result(
                200,
                GraphQLErrors.Error($"The response would be larger than the limit of {maxBytes} bytes; ask for fewer fields or a smaller page.", "RESPONSE_TOO_LARGE"),
                data: true));
        }

        return response;
    }

    public async Task WriteToAsync(Stream stream, CancellationToken cancellationToken)
    {
        foreach (var (array, used) in _chunks)
        {
            await stream.WriteAsync(array.AsMemory(0, used), cancellationToken);
        }
    }

    /// <summary>Copies the answer into <paramref name="destination"/>, which holds at least <see cref="Length"/> bytes.</summary>
    public void CopyTo(Span<byte> destination)
    {
        var offset = 0;
        foreach (var (array, used) in _chunks)
        {
            array.AsSpan(0, used).CopyTo(destination[offset..]);
            offset += used;
        }
    }

    /// <summary>
    /// The answer as arrays of its own (not pooled), each at most a chunk: one array would put any answer over 85,000
    /// bytes on the large object heap, as happened to every shared answer of the deep benchmark query (87 KB).
    /// </summary>
    public byte[][] ToChunks()
    {
        var chunks = new byte[_chunks.Count][];
        for (var i = 0; i < _chunks.Count; i++)
        {
            chunks[i] = _chunks[i].Array.AsSpan(0, _chunks[i].Used).ToArray();
        }

        return chunks;
    }

    public void Advance(int count)
    {
        _chunks[^1] = (_chunks[^1].Array, _chunks[^1].Used + count);
        _length += count;
        if (_length > _maxBytes)
        {
            throw new TooLargeException();
        }
    }

    public Memory<byte> GetMemory(int sizeHint = 0) => Current(sizeHint);

    public Span<byte> GetSpan(int sizeHint = 0) => Current(sizeHint).Span;

    public void Dispose() => Clear();

    private Memory<byte> Current(int sizeHint)
    {
        sizeHint = Math.Max(sizeHint, 1);
        if (_chunks.Count == 0 || _chunks[^1].Array.Length - _chunks[^1].Used < sizeHint)
        {
            // A token larger than a chunk (a long string value) gets a chunk of its own size.
            _chunks.Add((ArrayPool<byte>.Shared.Rent(Math.Max(ChunkSize, sizeHint)), 0));
        }

        var (array, used) = _chunks[^1];
        return array.AsMemory(used);
    }

    private void Write(GatewayResult result)
    {
        using var writer = new Utf8JsonWriter(this);
        result.WriteTo(writer);
        writer.Flush();
    }

    private void Clear()
    {
        foreach (var (array, _) in _chunks)
        {
            ArrayPool<byte>.Shared.Return(array);
        }

        _chunks.Clear();
        _length = 0;
    }

    private sealed class TooLargeException : Exception;
}
