namespace Federation.Gateway.Caching;

/// <summary>
/// Where automatic persisted queries outlive one gateway process: every replica reads and writes the same store (the
/// host puts Redis here). Each process keeps its own bounded memory copy in front of it.
/// </summary>
public interface IPersistedDocumentStore
{
    /// <summary>The document registered under the hash, or null when unknown or when the store cannot answer: a shared
    /// store that is down costs a persisted-query miss, which Apollo clients answer by resending the text.</summary>
    ValueTask<string?> GetAsync(string hash, CancellationToken cancellationToken);

    /// <summary>Registers the document; a store that is down drops it silently (the memory copy still has it).</summary>
    ValueTask SetAsync(string hash, string document, CancellationToken cancellationToken);
}
