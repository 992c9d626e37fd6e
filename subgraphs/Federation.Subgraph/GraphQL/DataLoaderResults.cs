using GraphQL.DataLoader;

namespace Federation.Subgraph.GraphQL;

/// <summary>A batched result transformed once it arrives, so resolvers can shape a loader's value without awaiting it early.</summary>
public sealed class MappedDataLoaderResult<TIn, TOut>(IDataLoaderResult<TIn> inner, Func<TIn, TOut> map) : IDataLoaderResult<TOut>
{
    public async Task<TOut> GetResultAsync(CancellationToken cancellationToken = default) =>
        map(await inner.GetResultAsync(cancellationToken));

    async Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken) =>
        await GetResultAsync(cancellationToken);
}

public static class DataLoaderResultExtensions
{
    public static IDataLoaderResult<TOut> Map<TIn, TOut>(this IDataLoaderResult<TIn> result, Func<TIn, TOut> map) =>
        new MappedDataLoaderResult<TIn, TOut>(result, map);
}

public sealed class CompletedDataLoaderResult<T>(T value) : IDataLoaderResult<T>
{
    public Task<T> GetResultAsync(CancellationToken cancellationToken = default) => Task.FromResult(value);

    Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken) => Task.FromResult<object?>(value);
}
