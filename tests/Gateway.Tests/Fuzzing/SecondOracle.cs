using Federation.Gateway.Tests.Corpus;
using Federation.Gateway.Tests.Fixtures;

namespace Federation.Gateway.Tests.Fuzzing;

/// <summary>Hive Gateway on the same subgraphs, started on the first disagreement with Apollo Gateway only (it takes seconds).</summary>
internal sealed class SecondOracle(string supergraphSdl, IReadOnlyDictionary<string, string> subgraphUrls) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private HiveGatewayProcess? _hive;

    public async Task<Execute> ExecutorAsync()
    {
        await _gate.WaitAsync();
        try
        {
            _hive ??= await HiveGatewayProcess.StartAsync(supergraphSdl, subgraphUrls, CorpusFixture.NodeGatewayTokens(subgraphUrls.Keys));
        }
        finally
        {
            _gate.Release();
        }

        return _hive.Http.PostGraphQLAsync;
    }

    public async ValueTask DisposeAsync()
    {
        if (_hive is not null)
        {
            await _hive.DisposeAsync();
        }

        _gate.Dispose();
    }
}
