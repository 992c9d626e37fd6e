using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Federation.Subgraph.Messaging.Hosting;

/// <summary>Reports consumer lag and the outbox backlog; a lag above the threshold is Degraded (still serving).</summary>
internal sealed class MessagingHealthCheck(MessagingOptions options, MessagingStatus status) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = status.Snapshot();
        if (string.IsNullOrWhiteSpace(options.BootstrapServers))
            return Task.FromResult(HealthCheckResult.Degraded("Kafka:BootstrapServers is not configured; events stay in the outbox.", data: data));
        var lag = status.TotalLag;
        return Task.FromResult(lag > options.Consumer.LagDegradedThreshold
            ? HealthCheckResult.Degraded($"Consumer lag {lag} is above {options.Consumer.LagDegradedThreshold}.", data: data)
            : HealthCheckResult.Healthy($"Consumer lag {lag}, outbox pending {status.OutboxPending}.", data));
    }
}
