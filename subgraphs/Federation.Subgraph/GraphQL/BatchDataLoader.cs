using GraphQL.DataLoader;

namespace Federation.Subgraph.GraphQL;

/// <summary>
/// Collects keys while graphql-dotnet walks a level of the result tree and fetches them in one batch
/// the first time any result is awaited; the execution strategy defers <see cref="IDataLoaderResult"/>s
/// until the level is complete, which is what makes one SQL statement per <c>_entities</c> call possible.
/// Register it scoped (one per request).
/// </summary>
public abstract class BatchDataLoader<TKey, TValue> where TKey : notnull
{
    private readonly object _gate = new();
    private Dictionary<TKey, TaskCompletionSource<TValue?>> _pending = [];
    private readonly Dictionary<TKey, Task<TValue?>> _cache = [];

    protected abstract Task<IReadOnlyDictionary<TKey, TValue>> FetchAsync(IReadOnlyCollection<TKey> keys, CancellationToken cancellationToken);

    public IDataLoaderResult<TValue?> Load(TKey key)
    {
        lock (_gate)
        {
            if (_cache.TryGetValue(key, out var known))
                return new Result(this, known);
            var source = new TaskCompletionSource<TValue?>(TaskCreationOptions.RunContinuationsAsynchronously);
            _pending[key] = source;
            _cache[key] = source.Task;
            return new Result(this, source.Task);
        }
    }

    private async Task DispatchAsync(CancellationToken cancellationToken)
    {
        Dictionary<TKey, TaskCompletionSource<TValue?>> batch;
        lock (_gate)
        {
            if (_pending.Count == 0)
                return;
            batch = _pending;
            _pending = [];
        }

        try
        {
            var values = await FetchAsync(batch.Keys, cancellationToken);
            foreach (var (key, source) in batch)
                source.TrySetResult(values.TryGetValue(key, out var value) ? value : default);
        }
        catch (Exception ex)
        {
            foreach (var source in batch.Values)
                source.TrySetException(ex);
        }
    }

    private sealed class Result(BatchDataLoader<TKey, TValue> loader, Task<TValue?> task) : IDataLoaderResult<TValue?>
    {
        public async Task<TValue?> GetResultAsync(CancellationToken cancellationToken = default)
        {
            if (!task.IsCompleted)
                await loader.DispatchAsync(cancellationToken);
            return await task;
        }

        async Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken) =>
            await GetResultAsync(cancellationToken);
    }
}
