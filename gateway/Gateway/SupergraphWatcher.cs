namespace Federation.Gateway.Host;

/// <summary>Reloads the supergraph when its file changes; a file that does not parse leaves the running schema in place.</summary>
public sealed class SupergraphWatcher(string path, GatewayEngine engine, ILogger<SupergraphWatcher> logger) : IHostedService, IDisposable
{
    private readonly SemaphoreSlim _reload = new(1, 1);
    private FileSystemWatcher? _watcher;
    private CancellationTokenSource? _debounce;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _watcher = new FileSystemWatcher(Path.GetDirectoryName(path)!, Path.GetFileName(path))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        _watcher.Changed += (_, _) => Schedule();
        _watcher.Created += (_, _) => Schedule();
        _watcher.Renamed += (_, _) => Schedule();
        _watcher.EnableRaisingEvents = true;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _watcher?.Dispose();
        _watcher = null;
        _debounce?.Cancel();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _debounce?.Dispose();
        _reload.Dispose();
    }

    private void Schedule()
    {
        // Editors and composition tools write in several steps; wait until the file settles.
        var debounce = new CancellationTokenSource();
        Interlocked.Exchange(ref _debounce, debounce)?.Cancel();
        _ = ReloadAfterAsync(debounce.Token);
    }

    private async Task ReloadAfterAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(250, cancellationToken);
            await _reload.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        try
        {
            engine.Reload(await File.ReadAllTextAsync(path, CancellationToken.None));
            logger.LogInformation("Reloaded supergraph from {Path}", path);
        }
        catch (Exception e) when (e is IOException or GraphQLParser.Exceptions.GraphQLParserException or InvalidOperationException or ArgumentException)
        {
            logger.LogWarning(e, "Keeping the previous supergraph: {Path} could not be loaded", path);
        }
        finally
        {
            _reload.Release();
        }
    }
}
