using Federation.Subgraph.GraphQL;
using GraphQL;
using GraphQL.Federation;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Federation.Subgraph.Health;

// Every subgraph defines these same value types through the kit, so composition needs them shareable.

public sealed class HealthStatusType : EnumerationGraphType<HealthStatus>
{
    public HealthStatusType()
    {
        Name = "HealthStatus";
        Description = "A health check's verdict: UNHEALTHY fails readiness, DEGRADED still serves.";
    }
}

public sealed class ServiceHealthType : ObjectGraphType<ServiceHealth>
{
    public ServiceHealthType()
    {
        Name = "ServiceHealth";
        Description = "One subgraph process as it sees itself: its health checks and, if it has events, its messaging.";
        this.Shareable();
        Field(h => h.Service).Description("The subgraph's name in the supergraph.");
        Field(h => h.Instance).Description("The process that answered (host/pid): one of the subgraph's replicas.");
        Field<NonNullGraphType<DateTimeGraphType>>("startedAt").Description("When the process started; the messaging counters count from then.")
            .Resolve(ctx => ctx.Source.StartedAt.UtcDateTime);
        Field<NonNullGraphType<DateTimeGraphType>>("checkedAt").Resolve(ctx => ctx.Source.CheckedAt.UtcDateTime);
        Field<NonNullGraphType<HealthStatusType>>("status").Description("The worst status of the checks.").Resolve(ctx => ctx.Source.Status);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<HealthCheckType>>>>("checks")
            .Description("The readiness checks (process, database, messaging), as /health/ready runs them.")
            .ListSize(assumedSize: 5)
            .Resolve(ctx => ctx.Source.Checks);
        Field<MessagingHealthType>("messaging")
            .Description("The outbox, consumer lag and dead letters; null for a subgraph without events.")
            .Resolve(ctx => ctx.RequestServices!.GetService<IMessagingHealthSource>()?.Read());
    }
}

public sealed class HealthCheckType : ObjectGraphType<HealthCheckEntry>
{
    public HealthCheckType()
    {
        Name = "HealthCheck";
        this.Shareable();
        Field(c => c.Name);
        Field<NonNullGraphType<HealthStatusType>>("status").Resolve(ctx => ctx.Source.Status);
        Field(c => c.Description, nullable: true);
        Field(c => c.DurationMs).Description("How long the check took, in milliseconds.");
    }
}

public sealed class MessagingHealthType : ObjectGraphType<MessagingHealth>
{
    public MessagingHealthType()
    {
        Name = "MessagingHealth";
        Description = "Events through Kafka: the outbox relay, the consumer group and its dead letters. Counters count since startedAt.";
        this.Shareable();
        Field(m => m.BrokerConfigured).Description("Whether Kafka:BootstrapServers is set; without it events wait in the outbox.");
        Field(m => m.ConsumerGroup);
        Field<OutboxBacklogType>("outbox")
            .Description("Events committed but not yet acknowledged by Kafka, read from the database; null with an error when it cannot be read.")
            .ResolveAsync(async ctx => await ctx.RequestServices!.GetRequiredService<IMessagingHealthSource>().ReadOutboxAsync(ctx.CancellationToken));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PartitionLagType>>>>("consumerLag")
            .Description("Messages behind the high watermark on each partition assigned to this process.")
            .ListSize(assumedSize: 20)
            .Resolve(ctx => ctx.Source.ConsumerLag);
        Field<NonNullGraphType<IntGraphType>>("totalLag").Resolve(ctx => Saturated(ctx.Source.TotalLag));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<DeadLettersType>>>>("deadLetters")
            .Description("Events moved to a dead-letter topic after their last failed attempt, per consumed topic.")
            .ListSize(assumedSize: 10)
            .Resolve(ctx => ctx.Source.DeadLetters);
        Field<NonNullGraphType<IntGraphType>>("published").Resolve(ctx => Saturated(ctx.Source.Published));
        Field<NonNullGraphType<IntGraphType>>("publishFailures").Resolve(ctx => Saturated(ctx.Source.PublishFailures));
        Field<NonNullGraphType<IntGraphType>>("applied").Description("Events a handler applied.").Resolve(ctx => Saturated(ctx.Source.Applied));
        Field<NonNullGraphType<IntGraphType>>("handlerFailures").Description("Failed handler attempts, retried or dead-lettered.").Resolve(ctx => Saturated(ctx.Source.HandlerFailures));
        Field(m => m.EventLatencyP99Ms).Description("p99 of occurredAt to applied over the last 1,024 applied events, in milliseconds; 0 before the first.");
    }

    /// <summary>GraphQL's Int is 32-bit; a process-lifetime counter beyond it reports the maximum.</summary>
    internal static int Saturated(long value) => (int)Math.Clamp(value, 0, int.MaxValue);
}

public sealed class OutboxBacklogType : ObjectGraphType<OutboxBacklog>
{
    public OutboxBacklogType()
    {
        Name = "OutboxBacklog";
        this.Shareable();
        Field<NonNullGraphType<IntGraphType>>("pending").Description("Unsent events.").Resolve(ctx => MessagingHealthType.Saturated(ctx.Source.Pending));
        Field<DateTimeGraphType>("oldestOccurredAt").Description("When the oldest unsent event occurred; null when drained.")
            .Resolve(ctx => ctx.Source.OldestOccurredAt?.UtcDateTime);
        Field<NonNullGraphType<FloatGraphType>>("oldestAgeSeconds").Description("Age of the oldest unsent event; 0 when drained.")
            .Resolve(ctx => ctx.Source.OldestOccurredAt is { } at ? Math.Max(0, (DateTimeOffset.UtcNow - at).TotalSeconds) : 0);
        Field(o => o.OldestAttempts).Description("Publish attempts of the oldest unsent event.");
        Field(o => o.OldestLastError, nullable: true).Description("Why its last publish attempt failed, if it did.");
    }
}

public sealed class PartitionLagType : ObjectGraphType<PartitionLag>
{
    public PartitionLagType()
    {
        Name = "PartitionLag";
        this.Shareable();
        Field(p => p.Topic);
        Field(p => p.Partition);
        Field<NonNullGraphType<IntGraphType>>("lag").Resolve(ctx => MessagingHealthType.Saturated(ctx.Source.Lag));
    }
}

public sealed class DeadLettersType : ObjectGraphType<DeadLetterCount>
{
    public DeadLettersType()
    {
        Name = "DeadLetters";
        this.Shareable();
        Field(d => d.Topic).Description("The topic the events came from.");
        Field(d => d.DeadLetterTopic);
        Field<NonNullGraphType<IntGraphType>>("count").Resolve(ctx => MessagingHealthType.Saturated(ctx.Source.Count));
        Field<NonNullGraphType<DateTimeGraphType>>("lastAt").Resolve(ctx => ctx.Source.LastAt.UtcDateTime);
        Field(d => d.LastError, nullable: true).Description("The last dead-lettered event's handler error.");
    }
}
