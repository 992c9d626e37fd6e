using Alerting.Data;
using Federation.Subgraph.GraphQL;
using Federation.Subgraph.Security;
using GraphQL.Federation;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;

namespace Alerting.Types;

public sealed class AlertType : ObjectGraphType<Alert>
{
    public AlertType()
    {
        Name = "Alert";
        Description = "A rule's breach for one subject, from raised to resolved; at most one is unresolved per rule and subject. Owned by alerting; admins only.";
        this.RequiresScopes([Access.AdminScope]);
        this.Key("id");
        Field(a => a.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(a => a.RuleId).Description("The rule that breached, e.g. payment-failure-rate.");
        Field(a => a.Subject).Description("What breached: a product id, a dead-letter topic, a consumer group, or the signal as a whole (payments, orders).");
        Field<NonNullGraphType<AlertSeverityType>>("severity").Resolve(ctx => ctx.Source.Severity);
        Field<NonNullGraphType<AlertStatusType>>("status").Resolve(ctx => ctx.Source.Status);
        Field(a => a.Summary);
        Field(a => a.Value).Description("The measured value when raised, updated while the alert is unresolved (a rate is a fraction: 0.6 is 60%).");
        Field(a => a.Threshold).Description("The rule's threshold when the alert was raised.");
        Field<NonNullGraphType<DateTimeGraphType>>("raisedAt").Resolve(ctx => ctx.Source.RaisedAt.UtcDateTime);
        Field<DateTimeGraphType>("acknowledgedAt").Resolve(ctx => ctx.Source.AcknowledgedAt?.UtcDateTime);
        Field<IdGraphType>("acknowledgedBy").Description("The user id of the admin who acknowledged it.").Resolve(ctx => ctx.Source.AcknowledgedBy);
        Field<DateTimeGraphType>("resolvedAt").Resolve(ctx => ctx.Source.ResolvedAt?.UtcDateTime);
        this.ResolveReference<Alert>((ctx, reference) =>
        {
            ctx.RequireAdmin();
            return ctx.RequestServices!.GetRequiredService<AlertByIdDataLoader>().Load(reference.Id);
        });
    }
}

public sealed class AlertSeverityType : EnumerationGraphType<AlertSeverity>
{
    public AlertSeverityType() => Name = "AlertSeverity";
}

public sealed class AlertStatusType : EnumerationGraphType<AlertStatus>
{
    public AlertStatusType()
    {
        Name = "AlertStatus";
        Description = "OPEN until an admin acknowledges it or its condition clears; RESOLVED is final.";
    }
}

public sealed class AlertRuleType : ObjectGraphType<AlertRule>
{
    public AlertRuleType()
    {
        Name = "AlertRule";
        Description = "A rule as data: its aggregate of a signal per subject over a sliding window, compared with a threshold.";
        Field(r => r.Id);
        Field(r => r.Title);
        Field(r => r.Signal).Description("The samples or gauges the rule reads, e.g. payment.declined.");
        Field<NonNullGraphType<RuleAggregateType>>("aggregate").Resolve(ctx => ctx.Source.Aggregate);
        Field<NonNullGraphType<RuleComparisonType>>("comparison").Resolve(ctx => ctx.Source.Comparison);
        Field(r => r.Threshold);
        Field<NonNullGraphType<FloatGraphType>>("windowSeconds").Description("The sliding window; LATEST rules have none.").Resolve(ctx => ctx.Source.Window.TotalSeconds);
        Field(r => r.MinSamples).Description("Samples the window needs before the rule can breach.");
        Field<NonNullGraphType<AlertSeverityType>>("severity").Resolve(ctx => ctx.Source.Severity);
        Field(r => r.Enabled);
    }
}

public sealed class RuleAggregateType : EnumerationGraphType<RuleAggregate>
{
    public RuleAggregateType() => Name = "AlertRuleAggregate";
}

public sealed class RuleComparisonType : EnumerationGraphType<RuleComparison>
{
    public RuleComparisonType() => Name = "AlertRuleComparison";
}
