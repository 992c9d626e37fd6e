using Alerting.Data;
using Alerting.Events;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Federation.Kafka;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Alerting.Rules;

/// <summary>
/// Measures each watched consumer group's lag from the broker: its committed offsets (admin API) against the partitions'
/// high watermarks. The services report their own lag too, but only while they run and only for the partitions they hold;
/// a group whose every member is down or stuck is exactly the one that cannot report, and its committed offsets still tell.
/// </summary>
internal sealed partial class ConsumerLagMonitor(
    AlertingOptions options,
    string bootstrapServers,
    IDbContextFactory<AlertingDbContext> contexts,
    RuleEvaluator evaluator,
    ILogger<ConsumerLagMonitor> logger) : BackgroundService
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    // The watermark queries block their thread; keep them off the thread pool the web server relies on.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => RunAsync(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        KafkaNativeLibrary.EnsureLoaded();
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers, ClientId = "alerting-lag-monitor" }).Build();
        // Only asks for watermarks: it never subscribes or commits, so its group id owns no offsets.
        using var watermarks = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "alerting-lag-monitor",
            ClientId = "alerting-lag-monitor",
            EnableAutoCommit = false,
        }).Build();

        using var timer = new PeriodicTimer(options.ConsumerLag.PollInterval);
        do
        {
            try
            {
                var lags = new List<(string Group, long Lag)>();
                foreach (var group in options.ConsumerLag.Groups)
                {
                    try
                    {
                        lags.Add((group, await MeasureAsync(admin, watermarks, group)));
                    }
                    catch (KafkaException exception)
                    {
                        // One group's failure (a coordinator moving) leaves the others measured; its gauge keeps its last value.
                        LogGroupFailed(group, exception.Error.Reason);
                    }
                }

                await RecordAsync(lags, stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogMeasureFailed(exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>The group's messages behind the high watermark, summed over the partitions it has committed offsets for.</summary>
    private static async Task<long> MeasureAsync(IAdminClient admin, IConsumer<Ignore, Ignore> watermarks, string group)
    {
        var committed = await admin.ListConsumerGroupOffsetsAsync(
            [new ConsumerGroupTopicPartitions(group, null)],
            new ListConsumerGroupOffsetsOptions { RequestTimeout = RequestTimeout });
        long lag = 0;
        foreach (var partition in committed.SelectMany(g => g.Partitions).Where(p => p.Offset.Value >= 0))
        {
            var high = watermarks.QueryWatermarkOffsets(partition.TopicPartition, RequestTimeout).High;
            if (high != Offset.Unset)
                lag += Math.Max(0, high.Value - partition.Offset.Value);
        }

        return lag;
    }

    private async Task RecordAsync(List<(string Group, long Lag)> lags, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var (group, lag) in lags)
            await SignalHandler.GaugeAsync(db, Signals.ConsumerLag, group, lag, now, cancellationToken);
        await evaluator.EvaluateAsync(db, Signals.ConsumerLag, now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Measuring the lag of consumer group {Group} failed ({Reason}); retrying at the next interval")]
    private partial void LogGroupFailed(string group, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Measuring consumer lag failed; retrying at the next interval")]
    private partial void LogMeasureFailed(Exception exception);
}
